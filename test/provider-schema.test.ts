/**
 * Every Harness resource the examples and the constructs synthesize fits the provider's
 * schema as the snapshot in provider-schema/ records it: each required attribute set, no
 * attribute the resource does not have, none that only the provider computes, and each
 * value of the attribute's type (or a Terraform reference).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { GitlabProvider } from '@cdktf/provider-gitlab/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { GitProvider, HarnessCodeMirrorAccount, MirrorPipeline, RepoMirror, SecretRef, TokenSecret } from '../src';
import { EXAMPLES, newStack, synthStack, SynthesizedStack } from './helpers/synth';

interface SchemaAttribute {
  readonly type: string | unknown[];
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
}

interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { readonly block: SchemaBlock; readonly max_items?: number; readonly nesting_mode: string }>;
}

const SNAPSHOT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'provider-schema', 'harness@0.45.1.json'), 'utf8'));
const RESOURCES: Record<string, { block: SchemaBlock }> = SNAPSHOT.provider_schemas['registry.terraform.io/harness/harness'].resource_schemas;
/** Terraform's own meta-arguments, and cdktf's metadata. */
const META = new Set(['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each']);
const REFERENCE = /^\$\{[^}]+\}$/;

/** What is wrong with `value` against `block`, as paths and reasons. */
function problems(block: SchemaBlock, value: Record<string, unknown>, where: string, meta: boolean): string[] {
  const found: string[] = [];
  const attributes = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.required && value[name] === undefined) {
      found.push(`${where}.${name}: required, missing`);
    }
  }
  for (const [name, v] of Object.entries(value)) {
    if (meta && META.has(name)) {
      continue;
    }
    const attribute = attributes[name];
    const nested = blocks[name];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) {
        found.push(`${where}.${name}: computed by the provider, set here`);
      }
      const problem = typeProblem(attribute.type, v);
      if (problem) {
        found.push(`${where}.${name}: ${problem}`);
      }
    } else if (nested) {
      const items = Array.isArray(v) ? v : [v];
      if (nested.max_items !== undefined && items.length > nested.max_items) {
        found.push(`${where}.${name}: ${items.length} blocks, at most ${nested.max_items}`);
      }
      items.forEach((item, i) => found.push(...problems(nested.block, item as Record<string, unknown>, `${where}.${name}[${i}]`, false)));
    } else {
      found.push(`${where}.${name}: no such attribute or block`);
    }
  }
  return found;
}

function typeProblem(type: string | unknown[], value: unknown): string | undefined {
  if (typeof value === 'string' && REFERENCE.test(value)) {
    return undefined;
  }
  if (type === 'string') {
    return typeof value === 'string' ? undefined : `a string expected, got ${JSON.stringify(value)}`;
  }
  if (type === 'bool') {
    return typeof value === 'boolean' ? undefined : `a bool expected, got ${JSON.stringify(value)}`;
  }
  if (type === 'number') {
    return typeof value === 'number' ? undefined : `a number expected, got ${JSON.stringify(value)}`;
  }
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) {
    if (!Array.isArray(value)) {
      return `a ${type[0]} expected, got ${JSON.stringify(value)}`;
    }
    return value.map((item) => typeProblem(type[1] as string, item)).find((p) => p !== undefined);
  }
  if (Array.isArray(type) && type[0] === 'map') {
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : `a map expected, got ${JSON.stringify(value)}`;
  }
  return `type ${JSON.stringify(type)} is not checked here`;
}

/** Every Harness resource of a synthesized stack, checked. */
function stackProblems(synth: SynthesizedStack): { types: string[]; problems: string[] } {
  const types: string[] = [];
  const found: string[] = [];
  for (const [type, byId] of Object.entries(synth.resource ?? {})) {
    if (!type.startsWith('harness_')) {
      continue;
    }
    types.push(type);
    const schema = RESOURCES[type];
    if (!schema) {
      found.push(`${type}: not in the snapshot`);
      continue;
    }
    for (const [id, resource] of Object.entries(byId)) {
      found.push(...problems(schema.block, resource, `${type}.${id}`, true));
    }
  }
  return { types: types.sort(), problems: found };
}

/** A stack with every construct: a two-way GitHub <-> Harness Code pair registering both webhooks, a token secret, the Harness Code account. */
function everyConstruct(): SynthesizedStack {
  const stack = newStack();
  new GithubProvider(stack, 'github', { owner: 'acme' });
  new GitlabProvider(stack, 'gitlab', {});
  const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
  const account = new HarnessCodeMirrorAccount(stack, 'CodeAccount', { accountId: 'acct', orgId: 'default', projectId: 'platform' });
  const github = new TokenSecret(stack, 'GithubToken', { orgId: 'default', projectId: 'platform' });
  new RepoMirror(stack, 'Api', {
    pipeline,
    source: { url: 'https://github.com/acme/api.git', provider: GitProvider.GITHUB, token: github.secretRef },
    target: { url: 'https://git.harness.io/acct/default/platform/api.git', provider: GitProvider.HARNESS_CODE, token: account.secretRef },
    twoWay: true,
    reconcile: { schedule: '0 * * * *' },
    registerWebhook: true,
  });
  new RepoMirror(stack, 'Web', {
    pipeline,
    source: { url: 'https://git.harness.io/acct/web.git', provider: GitProvider.HARNESS_CODE, token: SecretRef.fromIdentifier('account.code') },
    target: { url: 'https://gitlab.com/acme/web.git', provider: GitProvider.GITLAB, token: SecretRef.fromIdentifier('account.gl') },
    registerWebhook: true,
  });
  return synthStack(stack);
}

describe('synthesized Harness resources against the provider schema snapshot', () => {
  test.each(EXAMPLES)('given example %s, then each of its Harness resources fits the schema', (_name, buildApp, stackName) => {
    const stack = buildApp(Testing.app()).node.findChild(stackName) as TerraformStack;
    const { types, problems: found } = stackProblems(synthStack(stack));
    expect(types.length).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });

  test('given every construct, with Harness Code webhooks declared, then each Harness resource fits the schema', () => {
    const { types, problems: found } = stackProblems(everyConstruct());
    expect(types).toContain('harness_platform_repo_webhook');
    expect(found).toEqual([]);
  });

  test('given a webhook that lacks a required attribute or sets a computed one, then the check says so', () => {
    const synth = everyConstruct();
    const hooks = synth.resource!.harness_platform_repo_webhook;
    const [id] = Object.keys(hooks);
    delete hooks[id].insecure;
    hooks[id].has_secret = true;
    hooks[id].triggers = 'branch_created';
    expect(stackProblems(synth).problems).toEqual([
      `harness_platform_repo_webhook.${id}.insecure: required, missing`,
      `harness_platform_repo_webhook.${id}.triggers: a list expected, got "branch_created"`,
      `harness_platform_repo_webhook.${id}.has_secret: computed by the provider, set here`,
    ]);
  });
});
