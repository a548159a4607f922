/**
 * Every rendered pipeline, trigger and input set validates against Harness's official
 * schemas; what the schemas miss is asserted beside them.
 */
import * as YAML from 'yaml';
import { BuildInfrastructure, GitProvider, MirrorPipeline, NotificationRule, PipelineEvent, RepoMirror, SecretRef } from '../../src';
import { pipelineSchemaErrors, triggerSchemaErrors } from '../helpers/harness-schema';
import { describeWithShared } from '../helpers/shared';
import { newStack, YamlVariable } from '../helpers/synth';

const token = SecretRef.fromIdentifier('account.mirror_token');

function build(infrastructure?: BuildInfrastructure): { pipeline: MirrorPipeline; mirrors: RepoMirror[] } {
  const stack = newStack();
  const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform', infrastructure });
  const providers = Object.values(GitProvider);
  const mirrors = providers.map(
    (provider, i) =>
      new RepoMirror(stack, `Pair${i}`, {
        pipeline,
        source: { url: `https://source.example.com/acme/repo${i}.git`, provider, token },
        target: { url: `https://target.example.com/acme/repo${i}.git`, provider: providers[(i + 1) % providers.length], token },
        twoWay: true,
        syncDelete: i % 2 === 0,
      }),
  );
  return { pipeline, mirrors };
}

describeWithShared('harness-schema')('official Harness schemas', () => {
  test.each([
    ['Harness Cloud', undefined],
    ['Kubernetes', BuildInfrastructure.kubernetes({ connectorRef: 'account.cluster', namespace: 'builds' })],
  ])('the pipeline on %s validates against pipeline.schema.json', (_name, infrastructure) => {
    const { pipeline } = build(infrastructure);
    const doc = YAML.parse(pipeline.yaml);
    expect(pipelineSchemaErrors(doc)).toEqual([]);
    // What the schema does not check:
    expect(doc.pipeline.identifier).toBe('repo_mirror');
    expect(doc.pipeline.name).toBe('Repo mirror');
    expect(typeof doc.pipeline.stages[0].stage.spec.execution.steps[0].step.spec.command).toBe('string');
    expect(doc.pipeline.stages[0].stage.spec.execution.steps[0].step.spec.command.length).toBeGreaterThan(100);
  });

  test('a pipeline with Slack and email notification rules validates', () => {
    const pipeline = new MirrorPipeline(newStack(), 'Mirror', {
      orgId: 'default',
      projectId: 'platform',
      notifications: [
        NotificationRule.slack({ webhookUrl: SecretRef.fromIdentifier('account.slack_hook') }),
        NotificationRule.email({ recipients: ['ops@example.com'], events: [PipelineEvent.PIPELINE_FAILED, PipelineEvent.PIPELINE_END] }),
      ],
    });
    const doc = YAML.parse(pipeline.yaml);
    expect(doc.pipeline.notificationRules).toHaveLength(2);
    expect(pipelineSchemaErrors(doc)).toEqual([]);
    doc.pipeline.notificationRules[0].pipelineEvents[0].type = 'WhenItRains';
    expect(pipelineSchemaErrors(doc)).not.toEqual([]);
  });

  test('a schema violation is caught (the validator is live)', () => {
    const { pipeline } = build();
    const doc = YAML.parse(pipeline.yaml);
    doc.pipeline.stages[0].stage.spec.cloneCodebase = 'sometimes';
    expect(pipelineSchemaErrors(doc)).not.toEqual([]);
  });

  test('every trigger, one per kind of delivery of each provider, validates against trigger.schema.json and points at the pipeline and its input set', () => {
    const { pipeline, mirrors } = build();
    const triggers = mirrors.flatMap((m) => m.directions).flatMap((direction) => direction.webhookTriggers.map((t) => [direction, t] as const));
    // Every provider's every shape appears: 1 + 1 + 1 + 2 + 4 + 1 + 1 + 1 per direction, twice.
    expect(triggers).toHaveLength(2 * 12);
    for (const [direction, t] of triggers) {
      const doc = YAML.parse(t.yaml);
      expect({ id: t.identifier, errors: triggerSchemaErrors(doc) }).toEqual({ id: t.identifier, errors: [] });
      expect(doc.trigger.identifier).toBe(t.identifier);
      expect(doc.trigger.pipelineIdentifier).toBe(pipeline.identifier);
      expect(doc.trigger.orgIdentifier).toBe('default');
      expect(doc.trigger.projectIdentifier).toBe('platform');
      expect(doc.trigger.source.spec.type).toBe('Custom');
      expect(doc.trigger.inputSetRefs).toEqual([direction.identifier]);
      // The inputYaml's pipeline part validates as pipeline-level variables only.
      const inputs = YAML.parse(doc.trigger.inputYaml);
      expect(inputs.pipeline.identifier).toBe(pipeline.identifier);
      expect(pipelineSchemaErrors(inputs)).toEqual([]);
    }
  });

  test('every input set\'s pipeline part validates, and its identifiers are right', () => {
    const { pipeline, mirrors } = build();
    const declared = YAML.parse(pipeline.yaml).pipeline.variables.map((v: YamlVariable) => v.name);
    for (const direction of mirrors.flatMap((m) => m.directions)) {
      const doc = YAML.parse(direction.inputSetYaml).inputSet;
      expect(pipelineSchemaErrors({ pipeline: doc.pipeline })).toEqual([]);
      expect(doc.identifier).toBe(direction.identifier);
      expect(doc.orgIdentifier).toBe('default');
      expect(doc.projectIdentifier).toBe('platform');
      expect(doc.pipeline.identifier).toBe(pipeline.identifier);
      for (const v of doc.pipeline.variables) {
        expect(declared).toContain(v.name);
      }
    }
  });
});
