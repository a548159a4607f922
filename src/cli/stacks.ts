/**
 * Reads the mirrors of a synthesized cdktf app (`cdktf synth`'s output folder): every
 * direction's input set with its URLs, secret references, user names, ref filters and
 * two-way flag, and the `syncDelete` its triggers pass. Only the files are read; nothing
 * here needs cdktf.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';

/** One side of a direction. */
export interface SideSpec {
  /** The https clone URL. */
  readonly url: string;
  /** The Harness secret reference of its token (`id`, `org.id`, `account.id`). */
  readonly secret: string;
  /** The Basic user name sent with the token. */
  readonly username: string;
}

/** One direction of a mirrored pair, as synthesized. */
export interface DirectionSpec {
  /** The stack it was synthesized in. */
  readonly stack: string;
  /** The pipeline identifier its input set names. */
  readonly pipeline: string;
  /** The pair's identifier (the input set's without `_forward` / `_reverse`). */
  readonly pair: string;
  /** `forward`, `reverse`, or the input set's identifier when it has neither suffix. */
  readonly direction: string;
  /** The input set's identifier. */
  readonly inputSet: string;
  /** The side the direction reads from. */
  readonly source: SideSpec;
  /** The side the direction writes to. */
  readonly target: SideSpec;
  /** `refFilters`, as the input set passes it (space-separated globs; empty: all). */
  readonly refFilters: string;
  /** Whether the pair is mirrored both ways. */
  readonly twoWay: boolean;
  /** `syncDelete` as the direction's scheduled reconcile passes it (or its webhook trigger, without one). */
  readonly syncDelete: boolean;
}

/** A direction that cannot be checked from the synthesized files, and why. */
export interface UncheckableDirection {
  readonly stack: string;
  readonly inputSet: string;
  readonly problem: string;
}

/** What the synthesized app holds. */
export interface SynthesizedMirrors {
  /** The stacks read, in name order. */
  readonly stacks: readonly string[];
  /** Every direction that can be checked, by stack, then input set identifier. */
  readonly directions: readonly DirectionSpec[];
  /** Directions whose values are known only after `terraform apply`. */
  readonly uncheckable: readonly UncheckableDirection[];
  /** The mirror script each pipeline embeds, by `<stack>/<pipeline identifier>`. */
  readonly pipelineScripts: ReadonlyMap<string, string>;
}

interface Manifest {
  readonly stacks?: Record<string, { readonly name?: string; readonly synthesizedStackPath?: string }>;
}

type Resources = Record<string, Record<string, { readonly yaml?: unknown }>>;

/**
 * Terraform's escapes in a synthesized string undone, left to right as Terraform reads
 * them: `$${` -> `${`, `%%{` -> `%{`. An unescaped `${...}` (a reference, known only at
 * apply time) stays as it is.
 */
export function unescapeTerraform(text: string): string {
  return text.replace(/([$%])\1\{/g, (_match: string, sigil: string) => `${sigil}{`);
}

/** The `pipeline.variables` of an input set or a trigger's input YAML, by name. */
function variablesOf(pipeline: unknown): Map<string, string> {
  const vars = new Map<string, string>();
  const list = (pipeline as { variables?: unknown } | undefined)?.variables;
  if (Array.isArray(list)) {
    for (const v of list) {
      if (v && typeof v.name === 'string' && v.value !== undefined && v.value !== null) {
        vars.set(v.name, String(v.value));
      }
    }
  }
  return vars;
}

/** The YAML document of a resource's `yaml` attribute, or undefined when it is none. */
function yamlOf(resource: { readonly yaml?: unknown }): unknown {
  if (typeof resource.yaml !== 'string') {
    return undefined;
  }
  return safeYaml(unescapeTerraform(resource.yaml));
}

/** `--out`'s stacks: names from `manifest.json`, each with its `cdk.tf.json`. */
function stackFiles(out: string): Array<{ name: string; file: string }> {
  const manifestFile = path.join(out, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch (e) {
    throw new Error(`cannot read ${manifestFile} (${(e as Error).message}); run cdktf synth first, or pass --out with its output folder`, { cause: e });
  }
  return Object.entries(manifest.stacks ?? {})
    .map(([key, s]) => ({ name: s.name ?? key, file: path.join(out, s.synthesizedStackPath ?? path.join('stacks', key, 'cdk.tf.json')) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The mirror script of a pipeline YAML's first Run step, if any. */
function pipelineScript(doc: unknown): string | undefined {
  const stages = (doc as { pipeline?: { stages?: unknown[] } } | undefined)?.pipeline?.stages;
  const stage = Array.isArray(stages) ? (stages[0] as { stage?: { spec?: { execution?: { steps?: unknown[] } } } }) : undefined;
  const steps = stage?.stage?.spec?.execution?.steps;
  const command = Array.isArray(steps) ? (steps[0] as { step?: { spec?: { command?: unknown } } })?.step?.spec?.command : undefined;
  return typeof command === 'string' ? command : undefined;
}

/** Reads the mirrors of the app synthesized into `out`, of one stack when `stack` is given. */
export function readSynthesizedMirrors(out: string, stack?: string): SynthesizedMirrors {
  let files = stackFiles(out);
  if (stack !== undefined) {
    const chosen = files.filter((f) => f.name === stack);
    if (chosen.length === 0) {
      throw new Error(`no stack ${JSON.stringify(stack)} in ${out}; its stacks: ${files.map((f) => f.name).join(', ') || '(none)'}`);
    }
    files = chosen;
  }
  const directions: DirectionSpec[] = [];
  const uncheckable: UncheckableDirection[] = [];
  const pipelineScripts = new Map<string, string>();
  for (const { name, file } of files) {
    let resources: Resources;
    try {
      resources = (JSON.parse(fs.readFileSync(file, 'utf8')) as { resource?: Resources }).resource ?? {};
    } catch (e) {
      throw new Error(`cannot read stack ${name} from ${file}: ${(e as Error).message}`, { cause: e });
    }
    for (const resource of Object.values(resources.harness_platform_pipeline ?? {})) {
      const doc = yamlOf(resource);
      const id = (doc as { pipeline?: { identifier?: unknown } } | undefined)?.pipeline?.identifier;
      const script = pipelineScript(doc);
      if (typeof id === 'string' && script !== undefined) {
        pipelineScripts.set(`${name}/${id}`, script);
      }
    }
    const triggers = Object.values(resources.harness_platform_triggers ?? {}).flatMap((r) => {
      const t = (yamlOf(r) as { trigger?: Record<string, unknown> } | undefined)?.trigger;
      return t ? [t] : [];
    });
    const found: DirectionSpec[] = [];
    for (const resource of Object.values(resources.harness_platform_input_set ?? {})) {
      const inputSet = (yamlOf(resource) as { inputSet?: { identifier?: unknown; pipeline?: { identifier?: unknown } } } | undefined)?.inputSet;
      const vars = variablesOf(inputSet?.pipeline);
      const used = ['sourceURL', 'targetURL', 'sourceToken', 'targetToken'];
      if (!inputSet || typeof inputSet.identifier !== 'string' || !used.every((v) => vars.has(v))) {
        continue; // not a mirror's input set
      }
      const identifier = inputSet.identifier;
      const pipeline = String(inputSet.pipeline?.identifier ?? '');
      // A value that is a reference to another resource holds an unescaped `${`.
      const fields = [...used, 'sourceUsername', 'targetUsername', 'refFilters', 'twoWay'].map((v) => [v, vars.get(v) ?? '']);
      const unknown = [...fields, ['pipeline', pipeline]].filter(([, v]) => v.includes('${')).map(([k]) => k);
      if (unknown.length > 0) {
        uncheckable.push({
          stack: name,
          inputSet: identifier,
          problem: `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} known only after terraform apply (a reference to another resource)`,
        });
        continue;
      }
      const mine = triggers.filter((t) => Array.isArray(t.inputSetRefs) && t.inputSetRefs.includes(identifier) && t.pipelineIdentifier === pipeline);
      const scheduled = mine.find((t) => (t.source as { type?: unknown } | undefined)?.type === 'Scheduled');
      const trigger = scheduled ?? mine.find((t) => (t.source as { type?: unknown } | undefined)?.type === 'Webhook');
      const triggerVars = typeof trigger?.inputYaml === 'string' ? variablesOf((safeYaml(trigger.inputYaml) as { pipeline?: unknown } | undefined)?.pipeline) : new Map<string, string>();
      const suffix = /^(.+)_(forward|reverse)$/.exec(identifier);
      found.push({
        stack: name,
        pipeline,
        pair: suffix ? suffix[1] : identifier,
        direction: suffix ? suffix[2] : identifier,
        inputSet: identifier,
        source: { url: vars.get('sourceURL')!, secret: vars.get('sourceToken')!, username: vars.get('sourceUsername') || 'git' },
        target: { url: vars.get('targetURL')!, secret: vars.get('targetToken')!, username: vars.get('targetUsername') || 'git' },
        refFilters: vars.get('refFilters') ?? '',
        twoWay: vars.get('twoWay') === 'true',
        syncDelete: triggerVars.get('syncDelete') === 'true',
      });
    }
    found.sort((a, b) => compare([a.pipeline, a.pair, a.direction], [b.pipeline, b.pair, b.direction]));
    directions.push(...found);
  }
  return { stacks: files.map((f) => f.name), directions, uncheckable, pipelineScripts };
}

function safeYaml(text: string): unknown {
  try {
    return YAML.parse(text);
  } catch {
    return undefined;
  }
}

/** Orders by the first differing key (forward before reverse: plain string order). */
function compare(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return a[i] < b[i] ? -1 : 1;
    }
  }
  return 0;
}
