/**
 * Apply order: a resource that names another resource of the same stack (by identifier, in
 * an attribute or inside its YAML) must depend on it, through a Terraform reference or
 * `depends_on`, so Terraform creates the named resource first and destroys it last.
 * Harness resolves those names itself; Terraform only sees references.
 *
 * The test is generic: it reads every synthesized stack, lists what each resource names
 * (by the rules below, from the Harness documents' structure) and checks that a dependency
 * path leads from the resource to the one it names.
 */
import { TerraformStack, TerraformVariable } from 'cdktf';
import * as YAML from 'yaml';
import { GitlabProvider } from '@cdktf/provider-gitlab/lib/provider';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { GitProvider, HarnessCodeMirrorAccount, MirrorPipeline, NotificationRule, RepoMirror, SecretRef, TokenSecret } from '../src';
import { EXAMPLES, newStack, SynthesizedStack, synthExample, synthStack } from './helpers/synth';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A resource's address, `type.logical_id`. */
type Address = string;

/** Resource types whose `identifier` other resources may name, and the kind of entity they are. */
const DECLARING: Record<string, string> = {
  harness_platform_organization: 'organization',
  harness_platform_project: 'project',
  harness_platform_pipeline: 'pipeline',
  harness_platform_input_set: 'input set',
  harness_platform_triggers: 'trigger',
  harness_platform_secret_text: 'secret',
  harness_platform_service_account: 'service account',
  harness_platform_apikey: 'api key',
  harness_platform_roles: 'role',
  harness_platform_resource_group: 'resource group',
};

/** One name a resource uses: the kind of entity and the identifier, as written (literal or a reference). */
interface Naming {
  readonly kind: string;
  readonly value: string;
  /** For secrets: `account`, `org` or `project`. */
  readonly scope?: string;
  readonly where: string;
}

function secretNaming(ref: string, where: string): Naming {
  const m = /^(account|org)\.(.+)$/.exec(ref);
  return m ? { kind: 'secret', value: m[2], scope: m[1], where } : { kind: 'secret', value: ref, scope: 'project', where };
}

/** What `body` (of `type`) names, by where Harness reads names. */
function namings(type: string, body: Record<string, unknown>): Naming[] {
  const out: Naming[] = [];
  const attr = (key: string, kind: string) => {
    if (typeof body[key] === 'string') {
      out.push({ kind, value: body[key] as string, where: key });
    }
  };
  attr('org_id', 'organization');
  attr('project_id', 'project');
  const yaml = typeof body.yaml === 'string' ? YAML.parse(body.yaml.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')) : undefined;
  switch (type) {
    case 'harness_platform_input_set':
      attr('pipeline_id', 'pipeline');
      for (const v of yaml.inputSet.pipeline.variables) {
        if (v.type === 'Secret') {
          out.push(secretNaming(v.value, `yaml variable ${v.name}`));
        }
      }
      break;
    case 'harness_platform_triggers':
      attr('target_id', 'pipeline');
      for (const ref of yaml.trigger.inputSetRefs ?? []) {
        out.push({ kind: 'input set', value: ref, where: 'yaml inputSetRefs' });
      }
      break;
    case 'harness_platform_pipeline':
      for (const m of (body.yaml as string).matchAll(/<\+secrets\.getValue\("([^"]+)"\)>/g)) {
        out.push(secretNaming(m[1], 'yaml secrets.getValue'));
      }
      break;
    case 'harness_platform_apikey':
      attr('parent_id', 'service account');
      break;
    case 'harness_platform_token':
      attr('parent_id', 'service account');
      attr('apikey_id', 'api key');
      break;
    case 'harness_platform_role_assignments':
      attr('role_identifier', 'role');
      attr('resource_group_identifier', 'resource group');
      for (const p of (body.principal as Array<Record<string, string>>) ?? []) {
        out.push({ kind: 'service account', value: p.identifier, where: 'principal.identifier' });
      }
      break;
  }
  return out;
}

/** The direct dependencies of a resource: every `${type.id.` it contains, and `depends_on`. */
function directDependencies(body: Record<string, unknown>, all: Set<Address>): Set<Address> {
  const deps = new Set<Address>();
  const text = JSON.stringify(body);
  for (const m of text.matchAll(/\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)[.}[]/g)) {
    if (all.has(m[1])) {
      deps.add(m[1]);
    }
  }
  for (const d of (body.depends_on as string[]) ?? []) {
    deps.add(d.replace(/^\$\{|\}$/g, ''));
  }
  return deps;
}

interface Edge {
  readonly from: Address;
  readonly to: Address;
  readonly where: string;
}

/** Every (resource, named resource) pair in the stack, and whether a dependency path joins them. */
function check(synth: SynthesizedStack): { edges: Edge[]; missing: Edge[]; webhooksWithoutTrigger: Address[] } {
  const resources = (synth.resource ?? {}) as Resources;
  const all = new Set<Address>();
  for (const [type, byId] of Object.entries(resources)) {
    for (const id of Object.keys(byId)) {
      all.add(`${type}.${id}`);
    }
  }
  const deps = new Map<Address, Set<Address>>();
  for (const [type, byId] of Object.entries(resources)) {
    for (const [id, body] of Object.entries(byId)) {
      deps.set(`${type}.${id}`, directDependencies(body, all));
    }
  }
  const reaches = (from: Address, to: Address): boolean => {
    const seen = new Set<Address>();
    const stack = [from];
    while (stack.length > 0) {
      const next = stack.pop()!;
      for (const d of deps.get(next) ?? []) {
        if (d === to) {
          return true;
        }
        if (!seen.has(d)) {
          seen.add(d);
          stack.push(d);
        }
      }
    }
    return false;
  };
  // Who declares what: kind, literal identifier (a reference resolved one level), scope.
  const literal = (value: unknown): string | undefined => {
    if (typeof value !== 'string') {
      return undefined;
    }
    const ref = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.identifier\}$/.exec(value);
    return ref ? literal(resources[ref[1]]?.[ref[2]]?.identifier) : value;
  };
  const declared: Array<{ address: Address; kind: string; identifier: string; scope: string }> = [];
  for (const [type, byId] of Object.entries(resources)) {
    if (!(type in DECLARING)) {
      continue;
    }
    for (const [id, body] of Object.entries(byId)) {
      const scope = body.project_id !== undefined ? 'project' : body.org_id !== undefined ? 'org' : 'account';
      declared.push({ address: `${type}.${id}`, kind: DECLARING[type], identifier: literal(body.identifier)!, scope });
    }
  }
  const edges: Edge[] = [];
  const missing: Edge[] = [];
  for (const [type, byId] of Object.entries(resources)) {
    for (const [id, body] of Object.entries(byId)) {
      const from = `${type}.${id}`;
      for (const n of namings(type, body)) {
        const value = literal(n.value);
        for (const d of declared) {
          if (d.address !== from && d.kind === n.kind && d.identifier === value && (n.scope === undefined || n.scope === d.scope)) {
            const edge = { from, to: d.address, where: n.where };
            edges.push(edge);
            if (!reaches(from, d.address)) {
              missing.push(edge);
            }
          }
        }
      }
    }
  }
  const webhookTypes = ['github_repository_webhook', 'gitlab_project_hook'];
  const triggers = [...all].filter((a) => a.startsWith('harness_platform_triggers.'));
  const webhooksWithoutTrigger = [...all].filter((a) => webhookTypes.includes(a.split('.')[0]) && !triggers.some((t) => reaches(a, t)));
  return { edges, missing, webhooksWithoutTrigger };
}

function countOf(synth: SynthesizedStack, type: string): number {
  return Object.keys(synth.resource?.[type] ?? {}).length;
}

/** Tokens from TokenSecret, a Slack URL from a TokenSecret, a Harness Code account, registered webhooks. */
function secretsAndWebhooksStack(): TerraformStack {
  const stack = newStack();
  new GithubProvider(stack, 'github', { owner: 'acme' });
  new GitlabProvider(stack, 'gitlab', {});
  const github = new TokenSecret(stack, 'GithubToken', { orgId: 'default' });
  const slack = new TokenSecret(stack, 'SlackUrl', { orgId: 'default', projectId: 'platform' });
  const account = new HarnessCodeMirrorAccount(stack, 'CodeMirror', { accountId: 'acct123', orgId: 'default', projectId: 'platform' });
  const pipeline = new MirrorPipeline(stack, 'Mirror', {
    orgId: 'default',
    projectId: 'platform',
    notifications: [NotificationRule.slack({ webhookUrl: slack.secretRef })],
  });
  const hookSecret = new TerraformVariable(stack, 'hook_secret', { type: 'string', sensitive: true });
  const harness = { url: 'https://git.harness.io/acct123/default/platform/api.git', provider: GitProvider.HARNESS_CODE, token: account.secretRef };
  new RepoMirror(stack, 'FromGithub', {
    pipeline,
    source: { url: 'https://github.com/acme/api.git', provider: GitProvider.GITHUB, token: github.secretRef },
    target: harness,
    twoWay: true,
    registerWebhook: true,
    webhookSecret: hookSecret.stringValue,
    reconcile: { schedule: '0 * * * *' },
  });
  new RepoMirror(stack, 'FromGitlab', {
    pipeline,
    source: { url: 'https://gitlab.com/acme/web.git', provider: GitProvider.GITLAB, token: SecretRef.fromIdentifier('account.gitlab') },
    target: { ...harness, url: 'https://git.harness.io/acct123/default/platform/web.git' },
    registerWebhook: true,
  });
  return stack;
}

const STACKS: Array<[string, () => SynthesizedStack]> = [
  ...EXAMPLES.map(([name, buildApp, stack]): [string, () => SynthesizedStack] => [`example ${name}`, () => synthExample(buildApp, stack)]),
  ['TokenSecret, HarnessCodeMirrorAccount, Slack and registered webhooks', () => synthStack(secretsAndWebhooksStack())],
];

describe('apply order: every resource depends on the resources it names', () => {
  test.each(STACKS)('given %s, every naming is backed by a dependency', (_name, synthesize) => {
    const synth = synthesize();
    const { edges, missing, webhooksWithoutTrigger } = check(synth);
    expect(missing).toEqual([]);
    expect(webhooksWithoutTrigger).toEqual([]);
    // Not vacuous: each input set names its pipeline, each trigger its pipeline and input set.
    const named = (fromType: string, toType: string) => edges.filter((e) => e.from.startsWith(`${fromType}.`) && e.to.startsWith(`${toType}.`)).length;
    expect(named('harness_platform_input_set', 'harness_platform_pipeline')).toBe(countOf(synth, 'harness_platform_input_set'));
    expect(named('harness_platform_triggers', 'harness_platform_pipeline')).toBe(countOf(synth, 'harness_platform_triggers'));
    expect(named('harness_platform_triggers', 'harness_platform_input_set')).toBe(countOf(synth, 'harness_platform_triggers'));
  });

  test('given TokenSecret, HarnessCodeMirrorAccount and a Slack secret, the input sets and the pipeline name them and depend on them', () => {
    const { edges, missing } = check(synthStack(secretsAndWebhooksStack()));
    const toSecrets = edges.filter((e) => e.to.startsWith('harness_platform_secret_text.'));
    expect(toSecrets.map((e) => `${e.from.split('.')[0]} -> ${e.to.split('.')[1].replace(/_[0-9A-F]+$/, '')} (${e.where})`).sort()).toEqual(
      [
        'harness_platform_input_set -> CodeMirror_Secret (yaml variable sourceToken)',
        'harness_platform_input_set -> CodeMirror_Secret (yaml variable targetToken)',
        'harness_platform_input_set -> CodeMirror_Secret (yaml variable targetToken)',
        'harness_platform_input_set -> GithubToken_Secret (yaml variable sourceToken)',
        'harness_platform_input_set -> GithubToken_Secret (yaml variable targetToken)',
        'harness_platform_pipeline -> SlackUrl_Secret (yaml secrets.getValue)',
      ].sort(),
    );
    expect(missing).toEqual([]);
  });

  test('given an input set whose pipeline is named by a literal, the check finds the missing dependency', () => {
    const [, buildOneWay, oneWayStack] = EXAMPLES[0];
    const synth = synthExample(buildOneWay, oneWayStack);
    const inputSets = synth.resource!.harness_platform_input_set;
    const [id] = Object.keys(inputSets);
    inputSets[id] = { ...inputSets[id], pipeline_id: 'repo_mirror', depends_on: undefined };
    expect(check(synth).missing).toEqual([{ from: `harness_platform_input_set.${id}`, to: expect.stringMatching(/^harness_platform_pipeline\./), where: 'pipeline_id' }]);
  });
});
