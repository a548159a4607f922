/**
 * Mirror triggers exactly as Harness receives them: a stack with one pair per source
 * provider is synthesized, every trigger's `yaml` attribute is evaluated by the real
 * terraform binary, and each parsed trigger's conditions and input mapping are returned.
 */
import { TerraformStack } from 'cdktf';
import * as YAML from 'yaml';
import { GitProvider, MirrorPipeline, RepoMirror, SecretRef } from '../../src';
import { TriggerCondition } from '../../src/model/providers';
import { newStack, synthStack } from './synth';
import { evaluateWithTerraform } from './terraform';

/** A synthesized trigger's conditions and the expressions it maps onto the pipeline's inputs. */
export interface SynthesizedTrigger {
  /** The trigger's identifier, e.g. `from_gitea_forward_delete`. */
  readonly identifier: string;
  /** What the identifier adds to the direction's: `''` for the main trigger, else e.g. `tag`. */
  readonly suffix: string;
  readonly headerConditions: TriggerCondition[];
  readonly payloadConditions: TriggerCondition[];
  readonly jexlCondition?: string;
  /** `inputYaml` variables by name (`reference`, `referenceShaOld`, `syncDelete`, `mode`). */
  readonly inputs: Record<string, string>;
}

const cache = new Map<string, Map<GitProvider, SynthesizedTrigger[]>>();

function synthesizeAll(refs: readonly string[] | undefined): Map<GitProvider, SynthesizedTrigger[]> {
  const stack: TerraformStack = newStack();
  const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
  const token = SecretRef.fromIdentifier('account.token');
  const byLogicalId = new Map<string, { provider: GitProvider; base: string }>();
  for (const provider of Object.values(GitProvider)) {
    const mirror = new RepoMirror(stack, `From_${provider}`, {
      pipeline,
      source: { url: `https://source.example.com/${provider.toLowerCase()}/repo.git`, provider, token },
      target: { url: 'https://target.example.com/repo.git', provider: GitProvider.GENERIC, token },
      refs: refs ? [...refs] : undefined,
      syncDelete: true,
    });
    for (const t of mirror.forward.webhookTriggers) {
      byLogicalId.set(stack.getLogicalId(t.trigger), { provider, base: mirror.forward.identifier });
    }
  }
  const triggers = synthStack(stack).resource!.harness_platform_triggers;
  const strings: Record<string, string> = {};
  for (const [id, body] of Object.entries(triggers)) {
    if (byLogicalId.has(id)) {
      strings[id] = body.yaml as string;
    }
  }
  const evaluated = evaluateWithTerraform(strings);
  const result = new Map<GitProvider, SynthesizedTrigger[]>();
  for (const [id, yaml] of Object.entries(evaluated)) {
    const trigger = YAML.parse(yaml).trigger;
    const spec = trigger.source.spec.spec;
    const inputs: Record<string, string> = {};
    for (const v of YAML.parse(trigger.inputYaml).pipeline.variables) {
      inputs[v.name] = v.value;
    }
    const { provider, base } = byLogicalId.get(id)!;
    const list = result.get(provider) ?? [];
    list.push({
      identifier: trigger.identifier,
      suffix: trigger.identifier === base ? '' : trigger.identifier.slice(base.length + 1),
      headerConditions: spec.headerConditions,
      payloadConditions: spec.payloadConditions,
      jexlCondition: spec.jexlCondition,
      inputs,
    });
    result.set(provider, list);
  }
  for (const list of result.values()) {
    list.sort((a, b) => a.identifier.localeCompare(b.identifier));
  }
  return result;
}

/** Every synthesized webhook trigger whose source is `provider` (syncDelete on), with the given ref filters. */
export function synthesizedTriggers(provider: GitProvider, refs?: readonly string[]): SynthesizedTrigger[] {
  const key = JSON.stringify(refs ?? null);
  let all = cache.get(key);
  if (!all) {
    all = synthesizeAll(refs);
    cache.set(key, all);
  }
  return all.get(provider)!;
}
