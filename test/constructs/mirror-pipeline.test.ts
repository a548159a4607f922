import { Testing } from 'cdktf';
import * as YAML from 'yaml';
import { BuildInfrastructure, CpuArchitecture, MirrorPipeline, MirrorPipelineProps } from '../../src';
import { PlatformPipeline } from '../../src/gen/providers/harness/platform-pipeline';
import { mirrorScript } from '../../src/private/script';
import { newStack, resourcesOfType, YamlVariable } from '../helpers/synth';

function pipelineDoc(p: MirrorPipeline) {
  return YAML.parse(p.yaml).pipeline;
}

describe('MirrorPipeline', () => {
  test('given only org and project, when synthesized, then one pipeline with the documented defaults', () => {
    const stack = newStack();
    new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    const synthesized = Testing.synth(stack);

    expect(synthesized).toHaveResourceWithProperties(PlatformPipeline, {
      identifier: 'repo_mirror',
      name: 'Repo mirror',
      org_id: 'default',
      project_id: 'platform',
    });
    expect(resourcesOfType(JSON.parse(synthesized), 'harness_platform_pipeline')).toHaveLength(1);
  });

  test('given identifier, name and description, then they reach the resource and the YAML', () => {
    const stack = newStack();
    const p = new MirrorPipeline(stack, 'Mirror', {
      orgId: 'eng',
      projectId: 'tools',
      identifier: 'git_sync',
      name: 'Git sync',
      description: 'Keeps repos in sync',
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(PlatformPipeline, {
      identifier: 'git_sync',
      name: 'Git sync',
      description: 'Keeps repos in sync',
      org_id: 'eng',
      project_id: 'tools',
    });
    const doc = pipelineDoc(p);
    expect(doc.identifier).toBe('git_sync');
    expect(doc.name).toBe('Git sync');
    expect(doc.orgIdentifier).toBe('eng');
    expect(doc.projectIdentifier).toBe('tools');
    expect(doc.description).toBe('Keeps repos in sync');
  });

  test('the YAML is a CI pipeline with one Build stage, clone codebase disabled, on Harness Cloud Linux/amd64 by default', () => {
    const p = new MirrorPipeline(newStack(), 'Mirror', { orgId: 'default', projectId: 'platform' });
    const doc = pipelineDoc(p);
    expect(doc.stages).toHaveLength(1);
    const stage = doc.stages[0].stage;
    expect(stage.type).toBe('CI');
    expect(stage.identifier).toBe('mirror');
    expect(stage.spec.cloneCodebase).toBe(false);
    expect(stage.spec.platform).toEqual({ os: 'Linux', arch: 'Amd64' });
    expect(stage.spec.runtime).toEqual({ type: 'Cloud', spec: {} });
    expect(stage.spec.infrastructure).toBeUndefined();
  });

  test('given harnessCloud({ arch: ARM64 }), then the platform is Linux/arm64', () => {
    const p = new MirrorPipeline(newStack(), 'Mirror', {
      orgId: 'default',
      projectId: 'platform',
      infrastructure: BuildInfrastructure.harnessCloud({ arch: CpuArchitecture.ARM64 }),
    });
    expect(pipelineDoc(p).stages[0].stage.spec.platform).toEqual({ os: 'Linux', arch: 'Arm64' });
  });

  test('one Run step runs the mirror script verbatim, with every input passed as an environment variable', () => {
    const p = new MirrorPipeline(newStack(), 'Mirror', { orgId: 'default', projectId: 'platform' });
    const steps = pipelineDoc(p).stages[0].stage.spec.execution.steps;
    expect(steps).toHaveLength(1);
    const step = steps[0].step;
    expect(step.type).toBe('Run');
    expect(step.identifier).toBe('mirror');
    expect(step.spec.shell).toBe('Sh');
    expect(step.spec.command).toBe(mirrorScript());
    expect(step.spec.command).not.toMatch(/<\+/);
    expect(step.spec.envVariables).toEqual({
      MIRROR_SOURCE_TOKEN: '<+pipeline.variables.sourceToken>',
      MIRROR_SOURCE_URL: '<+pipeline.variables.sourceURL>',
      MIRROR_TARGET_TOKEN: '<+pipeline.variables.targetToken>',
      MIRROR_TARGET_URL: '<+pipeline.variables.targetURL>',
      MIRROR_REFERENCE: '<+pipeline.variables.reference>',
      MIRROR_REFERENCE_SHA_OLD: '<+pipeline.variables.referenceShaOld>',
      MIRROR_SYNC_DELETE: '<+pipeline.variables.syncDelete>',
      MIRROR_REF_FILTERS: '<+pipeline.variables.refFilters>',
      MIRROR_MODE: '<+pipeline.variables.mode>',
      MIRROR_SOURCE_USERNAME: '<+pipeline.variables.sourceUsername>',
      MIRROR_TARGET_USERNAME: '<+pipeline.variables.targetUsername>',
      MIRROR_TWO_WAY: '<+pipeline.variables.twoWay>',
      MIRROR_MAX_REFS_PER_PUSH: '<+pipeline.variables.maxRefsPerPush>',
    });
  });

  test('the guide\'s seven variables come first, with their names, types, required flags and runtime inputs', () => {
    const p = new MirrorPipeline(newStack(), 'Mirror', { orgId: 'default', projectId: 'platform' });
    const vars = pipelineDoc(p).variables.map((v: YamlVariable) => [v.name, v.type, v.required, v.value]);
    expect(vars.slice(0, 7)).toEqual([
      ['sourceToken', 'Secret', true, '<+input>'],
      ['sourceURL', 'String', true, '<+input>'],
      ['targetToken', 'Secret', true, '<+input>'],
      ['targetURL', 'String', true, '<+input>'],
      ['reference', 'String', true, '<+input>'],
      ['referenceShaOld', 'String', false, '<+input>'],
      ['syncDelete', 'String', false, '<+input>.default(false).allowedValues(true,false)'],
    ]);
  });

  test('variables beyond the guide\'s are optional, so a run with only the guide\'s inputs still works', () => {
    const p = new MirrorPipeline(newStack(), 'Mirror', { orgId: 'default', projectId: 'platform' });
    const extra = pipelineDoc(p).variables.slice(7);
    expect(extra.map((v: YamlVariable) => [v.name, v.required, v.value])).toEqual([
      ['refFilters', false, '<+input>'],
      ['mode', false, '<+input>.default(ref).allowedValues(ref,reconcile)'],
      ['sourceUsername', false, '<+input>'],
      ['targetUsername', false, '<+input>'],
      ['twoWay', false, '<+input>.default(false).allowedValues(true,false)'],
      ['maxRefsPerPush', false, '<+input>'],
    ]);
  });

  test('given Kubernetes infrastructure, then KubernetesDirect with the connector and namespace, and the step gets an image', () => {
    const p = new MirrorPipeline(newStack(), 'Mirror', {
      orgId: 'default',
      projectId: 'platform',
      infrastructure: BuildInfrastructure.kubernetes({ connectorRef: 'account.build_cluster', namespace: 'harness-builds' }),
    });
    const stage = pipelineDoc(p).stages[0].stage;
    expect(stage.spec.platform).toBeUndefined();
    expect(stage.spec.runtime).toBeUndefined();
    expect(stage.spec.infrastructure).toEqual({
      type: 'KubernetesDirect',
      spec: {
        connectorRef: 'account.build_cluster',
        namespace: 'harness-builds',
        automountServiceAccountToken: false,
        nodeSelector: {},
        os: 'Linux',
      },
    });
    const step = stage.spec.execution.steps[0].step;
    expect(step.spec.image).toBe('alpine/git:v2.47.2');
    expect(step.spec.connectorRef).toBe('account.harnessImage');
  });

  test('given a custom image and registry connector, then the Run step uses them', () => {
    const p = new MirrorPipeline(newStack(), 'Mirror', {
      orgId: 'default',
      projectId: 'platform',
      infrastructure: BuildInfrastructure.kubernetes({
        connectorRef: 'k8s',
        namespace: 'ci',
        image: 'registry.example.com/tools/git:2.47',
        imageConnectorRef: 'org.registry',
      }),
    });
    const step = pipelineDoc(p).stages[0].stage.spec.execution.steps[0].step;
    expect(step.spec.image).toBe('registry.example.com/tools/git:2.47');
    expect(step.spec.connectorRef).toBe('org.registry');
  });

  describe('validation', () => {
    test.each([
      ['orgId', { orgId: 'my-org', projectId: 'p' }, /orgId must be a Harness identifier.*"my-org"/],
      ['projectId', { orgId: 'o', projectId: '1project' }, /projectId must be a Harness identifier.*"1project"/],
      ['identifier', { orgId: 'o', projectId: 'p', identifier: 'repo mirror' }, /identifier must be a Harness identifier.*"repo mirror"/],
    ])('given an invalid %s, then construction throws naming it', (_prop, props, message) => {
      expect(() => new MirrorPipeline(newStack(), 'Mirror', props as unknown as MirrorPipelineProps)).toThrow(message);
    });

    test('given an invalid Kubernetes connector or namespace, then BuildInfrastructure.kubernetes throws', () => {
      expect(() => BuildInfrastructure.kubernetes({ connectorRef: 'account.my-cluster', namespace: 'ci' })).toThrow(
        /kubernetes.connectorRef .*"account.my-cluster"/,
      );
      expect(() => BuildInfrastructure.kubernetes({ connectorRef: 'k8s', namespace: 'CI_Builds' })).toThrow(/kubernetes.namespace .*"CI_Builds"/);
      expect(() => BuildInfrastructure.kubernetes({ connectorRef: 'k8s', namespace: 'ci', image: 'git; rm -rf /' })).toThrow(/kubernetes.image/);
    });
  });
});
