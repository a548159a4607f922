/**
 * Mirror triggers exactly as Harness receives them: a stack with one pair per source
 * provider is synthesized, every trigger's `yaml` attribute is evaluated by the real
 * terraform binary, and the parsed trigger's conditions and input mapping are returned.
 */
import { TerraformStack } from 'cdktf';
import * as YAML from 'yaml';
import { GitProvider, MirrorPipeline, RepoMirror, SecretRef } from '../../src';
import { TriggerCondition } from '../../src/model/providers';
import { newStack, synthStack } from './synth';
import { evaluateWithTerraform } from './terraform';

/** A synthesized trigger's conditions and the expressions it maps onto the pipeline's inputs. */
export interface SynthesizedTrigger {
  readonly headerConditions: TriggerCondition[];
  readonly payloadConditions: TriggerCondition[];
  readonly jexlCondition?: string;
  /** `inputYaml` variables by name (`reference`, `referenceShaOld`, `syncDelete`, `mode`). */
  readonly inputs: Record<string, string>;
}

const cache = new Map<string, Map<GitProvider, SynthesizedTrigger>>();

function synthesizeAll(refs: readonly string[] | undefined): Map<GitProvider, SynthesizedTrigger> {
  const stack: TerraformStack = newStack();
  const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
  const token = SecretRef.fromIdentifier('account.token');
  const byLogicalId = new Map<string, GitProvider>();
  for (const provider of Object.values(GitProvider)) {
    const mirror = new RepoMirror(stack, `From_${provider}`, {
      pipeline,
      source: { url: `https://source.example.com/${provider.toLowerCase()}/repo.git`, provider, token },
      target: { url: 'https://target.example.com/repo.git', provider: GitProvider.GENERIC, token },
      refs: refs ? [...refs] : undefined,
    });
    byLogicalId.set(stack.getLogicalId(mirror.forward.trigger), provider);
  }
  const triggers = synthStack(stack).resource!.harness_platform_triggers;
  const strings: Record<string, string> = {};
  for (const [id, body] of Object.entries(triggers)) {
    strings[id] = body.yaml as string;
  }
  const evaluated = evaluateWithTerraform(strings);
  const result = new Map<GitProvider, SynthesizedTrigger>();
  for (const [id, yaml] of Object.entries(evaluated)) {
    const trigger = YAML.parse(yaml).trigger;
    const spec = trigger.source.spec.spec;
    const inputs: Record<string, string> = {};
    for (const v of YAML.parse(trigger.inputYaml).pipeline.variables) {
      inputs[v.name] = v.value;
    }
    result.set(byLogicalId.get(id)!, {
      headerConditions: spec.headerConditions,
      payloadConditions: spec.payloadConditions,
      jexlCondition: spec.jexlCondition,
      inputs,
    });
  }
  return result;
}

/** The synthesized mirror trigger whose source is `provider`, with the given ref filters. */
export function synthesizedTrigger(provider: GitProvider, refs?: readonly string[]): SynthesizedTrigger {
  const key = JSON.stringify(refs ?? null);
  let all = cache.get(key);
  if (!all) {
    all = synthesizeAll(refs);
    cache.set(key, all);
  }
  return all.get(provider)!;
}
