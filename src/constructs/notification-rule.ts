import { Token } from 'cdktf';
import { NotificationRuleModel } from '../model/pipeline';
import { shown } from '../private/credentials';
import { deriveIdentifier, validateIdentifier, validateScopedReference } from '../private/identifiers';
import { validateName } from '../private/names';
import { SecretRef } from './secret-ref';

/** Pipeline events a notification rule can fire on. */
export enum PipelineEvent {
  /** The pipeline failed: a conflict, a refused push, a bad input. */
  PIPELINE_FAILED = 'PipelineFailed',
  /** The pipeline succeeded. */
  PIPELINE_SUCCESS = 'PipelineSuccess',
  /** The pipeline ended, whatever the outcome. */
  PIPELINE_END = 'PipelineEnd',
  /** The pipeline started. */
  PIPELINE_START = 'PipelineStart',
}

/** Options common to every notification rule. */
export interface NotificationRuleOptions {
  /**
   * Display name of the rule.
   * @default - 'Mirror failed Slack' / 'Mirror failed Email' when the only event is
   * `PIPELINE_FAILED` (the default), else 'Mirror notification Slack' / 'Mirror notification Email'
   */
  readonly name?: string;
  /**
   * Identifier of the rule within the pipeline.
   * @default - derived from the name
   */
  readonly identifier?: string;
  /**
   * The events that fire the rule.
   * @default [PipelineEvent.PIPELINE_FAILED]
   */
  readonly events?: PipelineEvent[];
  /**
   * Harness user groups notified as well (`group`, `org.group` or `account.group`).
   * @default - none
   */
  readonly userGroups?: string[];
}

/** Options of {@link NotificationRule.slack}. */
export interface SlackNotificationOptions extends NotificationRuleOptions {
  /** Harness secret holding the Slack incoming-webhook URL (the URL itself is a credential). */
  readonly webhookUrl: SecretRef;
}

/** Options of {@link NotificationRule.email}. */
export interface EmailNotificationOptions extends NotificationRuleOptions {
  /** Email addresses to notify. */
  readonly recipients: string[];
}

const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;

/**
 * A rule under the pipeline's `notificationRules`: who hears about a mirror run, and when.
 * By default a rule fires when the pipeline fails, so a mirror that stopped (a two-way
 * conflict, a refused push) is not silent.
 */
export class NotificationRule {
  /** Posts to a Slack channel through an incoming webhook kept in a Harness secret. */
  public static slack(options: SlackNotificationOptions): NotificationRule {
    if (!(options.webhookUrl instanceof SecretRef)) {
      throw new Error('slack.webhookUrl must be a SecretRef to the Harness secret holding the Slack webhook URL');
    }
    return new NotificationRule(
      'Slack',
      options,
      {
        userGroups: checkGroups('slack.userGroups', options.userGroups),
        webhookUrl: `<+secrets.getValue("${options.webhookUrl.reference}")>`,
      },
      [options.webhookUrl],
    );
  }

  /** Sends an email to the given addresses (and user groups). */
  public static email(options: EmailNotificationOptions): NotificationRule {
    const recipients = options.recipients ?? [];
    if (recipients.length === 0) {
      throw new Error('email.recipients must list at least one address');
    }
    recipients.forEach((r, i) => {
      if (!Token.isUnresolved(r) && !EMAIL.test(r)) {
        throw new Error(`email.recipients[${i}] must be an email address, got ${shown(r)}`);
      }
    });
    return new NotificationRule('Email', options, {
      userGroups: checkGroups('email.userGroups', options.userGroups),
      recipients: [...recipients],
    });
  }

  /** Identifier of the rule. */
  public readonly identifier: string;
  /**
   * The secrets the rule names, so the pipeline can depend on those declared in the stack.
   * @internal
   */
  public readonly _secrets: readonly SecretRef[];
  private readonly model: NotificationRuleModel;

  private constructor(type: string, options: NotificationRuleOptions, spec: Record<string, unknown>, secrets: readonly SecretRef[] = []) {
    this._secrets = secrets;
    const events = options.events ?? [PipelineEvent.PIPELINE_FAILED];
    if (events.length === 0) {
      throw new Error(`${type.toLowerCase()}.events must list at least one event`);
    }
    for (const e of events) {
      if (!Object.values(PipelineEvent).includes(e)) {
        throw new Error(`${type.toLowerCase()}.events: unknown event ${shown(e)}`);
      }
    }
    const onlyFailure = events.length === 1 && events[0] === PipelineEvent.PIPELINE_FAILED;
    const name = options.name ?? (onlyFailure ? `Mirror failed ${type}` : `Mirror notification ${type}`);
    validateName(`${type.toLowerCase()}.name`, name);
    this.identifier = options.identifier ?? deriveIdentifier(`${type.toLowerCase()}.identifier`, name);
    validateIdentifier(`${type.toLowerCase()}.identifier`, this.identifier);
    this.model = {
      name,
      identifier: this.identifier,
      pipelineEvents: events.map((e) => ({ type: e })),
      notificationMethod: { type, spec },
      enabled: true,
    };
  }

  /** @internal */
  public _render(): NotificationRuleModel {
    return this.model;
  }
}

function checkGroups(prop: string, groups: string[] | undefined): string[] {
  (groups ?? []).forEach((g, i) => {
    validateScopedReference(`${prop}[${i}]`, g, 'user group');
  });
  return [...(groups ?? [])];
}
