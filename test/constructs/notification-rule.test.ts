import * as YAML from 'yaml';
import { MirrorPipeline, NotificationRule, PipelineEvent, SecretRef } from '../../src';
import { newStack } from '../helpers/synth';

function rules(notifications: NotificationRule[]) {
  const p = new MirrorPipeline(newStack(), 'Mirror', { orgId: 'default', projectId: 'platform', notifications });
  return YAML.parse(p.yaml).pipeline.notificationRules;
}

describe('NotificationRule', () => {
  test('given no notifications, then the pipeline has no notificationRules key', () => {
    const p = new MirrorPipeline(newStack(), 'Mirror', { orgId: 'default', projectId: 'platform' });
    expect('notificationRules' in YAML.parse(p.yaml).pipeline).toBe(false);
  });

  test('given a Slack rule, then it fires on pipeline failure and reads the webhook URL from the secret at run time', () => {
    expect(rules([NotificationRule.slack({ webhookUrl: SecretRef.fromIdentifier('account.slack_mirror_webhook') })])).toEqual([
      {
        name: 'Mirror failed Slack',
        identifier: 'mirror_failed_slack',
        pipelineEvents: [{ type: 'PipelineFailed' }],
        notificationMethod: {
          type: 'Slack',
          spec: { userGroups: [], webhookUrl: '<+secrets.getValue("account.slack_mirror_webhook")>' },
        },
        enabled: true,
      },
    ]);
  });

  test('given an email rule with user groups and events, then recipients, groups and events are rendered', () => {
    const [rule] = rules([
      NotificationRule.email({
        recipients: ['platform@example.com'],
        userGroups: ['account.platform_oncall'],
        events: [PipelineEvent.PIPELINE_FAILED, PipelineEvent.PIPELINE_SUCCESS],
        name: 'Mirror runs',
      }),
    ]);
    expect(rule).toEqual({
      name: 'Mirror runs',
      identifier: 'mirror_runs',
      pipelineEvents: [{ type: 'PipelineFailed' }, { type: 'PipelineSuccess' }],
      notificationMethod: { type: 'Email', spec: { userGroups: ['account.platform_oncall'], recipients: ['platform@example.com'] } },
      enabled: true,
    });
  });

  test('validation: empty or bad recipients, bad groups, no events, duplicate identifiers', () => {
    expect(() => NotificationRule.email({ recipients: [] })).toThrow(/email.recipients must list at least one address/);
    expect(() => NotificationRule.email({ recipients: ['ops'] })).toThrow(/email.recipients\[0\] must be an email address, got "ops"/);
    expect(() => NotificationRule.email({ recipients: ['a@b.co'], userGroups: ['ops team'] })).toThrow(/email.userGroups\[0\].*"ops team"/);
    expect(() => NotificationRule.email({ recipients: ['a@b.co'], events: [] })).toThrow(/email.events must list at least one event/);
    expect(() => NotificationRule.slack({ webhookUrl: 'https://hooks.slack.com/services/x' as unknown as SecretRef })).toThrow(/slack.webhookUrl must be a SecretRef/);
    const a = NotificationRule.email({ recipients: ['a@b.co'] });
    const b = NotificationRule.email({ recipients: ['c@d.co'] });
    expect(() => rules([a, b])).toThrow(/notifications\[1\]: identifier "mirror_failed_email" is used by an earlier rule/);
  });
});
