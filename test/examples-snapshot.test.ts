/**
 * One snapshot per example, small enough to read in a review:
 * - each rendered YAML document as its own snapshot, with the mirror script (embedded in
 *   every pipeline) shown as its hash: the script's diff is read in src/scripts/mirror.sh,
 *   and a test checks that each pipeline embeds exactly that file;
 * - the synthesized configuration with each `yaml` attribute shown as the name of its YAML
 *   snapshot, after checking that the attribute is that document, escaped for Terraform;
 *   for the many-pairs example, the first pairs stand for all fifty.
 * Every document also validates against Harness's official schemas.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Testing, Tokenization } from 'cdktf';
import * as YAML from 'yaml';
import { MirrorPipeline, RepoMirror } from '../src';
import { escapeTerraformTemplate } from '../src/private/terraform-escape';
import { pipelineSchemaErrors, triggerSchemaErrors } from './helpers/harness-schema';
import { sharedAvailable } from './helpers/shared';
import { EXAMPLES } from './helpers/synth';

const SCRIPT = fs.readFileSync(path.join(__dirname, '..', 'src', 'scripts', 'mirror.sh'), 'utf8');
const SCRIPT_PLACEHOLDER = `<src/scripts/mirror.sh, sha256 ${createHash('sha256').update(SCRIPT).digest('hex').slice(0, 16)}>`;
/** The many-pairs example repeats one shape fifty times: its first pairs stand for all. */
const PAIRS_SHOWN = 2;

const withSchemas = sharedAvailable('harness-schema');

/** A YAML text with the Run step's `command: |` block replaced by the script's hash. */
function withScriptHash(yaml: string): string {
  return yaml.replace(/^( *)command: \|-?\n(?:\1 .*\n|\n)+/m, (_block, indent: string) => `${indent}command: ${SCRIPT_PLACEHOLDER}\n`);
}

/** A string with cdktf tokens resolved as synthesis resolves them (to Terraform references). */
function resolved(stack: TerraformStack, text: string): unknown {
  return Tokenization.resolve(text, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/** cdktf tokens (a project identifier from another resource) are numbered by creation order. */
function withoutTokenNumbers(text: string): string {
  return text.replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, '<cdktf token>');
}

describe.each(EXAMPLES)('example %s', (name, buildApp, stackName) => {
  const app = buildApp(Testing.app());
  const stack = app.node.findChild(stackName) as TerraformStack;
  const pipelines = stack.node.findAll().filter((c): c is MirrorPipeline => c instanceof MirrorPipeline);
  const mirrors = stack.node.findAll().filter((c): c is RepoMirror => c instanceof RepoMirror);
  const shownMirrors = name === 'many-pairs' ? mirrors.slice(0, PAIRS_SHOWN) : mirrors;
  const directions = mirrors.flatMap((m) => m.directions);

  /** Every YAML document of the stack by its resource's logical id, and the name of its snapshot. */
  const documents = new Map<string, { yaml: string; snapshot: string }>();
  for (const p of pipelines) {
    documents.set(stack.getLogicalId(p.pipeline), { yaml: p.yaml, snapshot: `pipeline ${p.identifier}` });
  }
  for (const d of directions) {
    documents.set(stack.getLogicalId(d.inputSet), { yaml: d.inputSetYaml, snapshot: `input set ${d.identifier}` });
    for (const t of d.webhookTriggers) {
      documents.set(stack.getLogicalId(t.trigger), { yaml: t.yaml, snapshot: `trigger ${t.identifier}` });
    }
    if (d.reconcileTrigger && d.reconcileTriggerYaml) {
      documents.set(stack.getLogicalId(d.reconcileTrigger), { yaml: d.reconcileTriggerYaml, snapshot: `reconcile trigger ${d.identifier}` });
    }
  }

  test('every pipeline embeds exactly src/scripts/mirror.sh as its Run step command', () => {
    for (const p of pipelines) {
      const steps = YAML.parse(p.yaml).pipeline.stages[0].stage.spec.execution.steps;
      expect(steps[0].step.spec.command).toBe(SCRIPT);
      expect(withScriptHash(p.yaml)).not.toContain(SCRIPT.split('\n')[2]);
    }
  });

  test('synthesized configuration, each yaml attribute named by its document', () => {
    const synth = JSON.parse(Testing.synth(stack, true));
    const shownPaths = shownMirrors.map((m) => `${m.node.path}/`);
    const paths = new Map(stack.node.findAll().filter((c): c is TerraformElement => c instanceof TerraformElement).map((c) => [stack.getLogicalId(c), c.node.path]));
    for (const [type, byId] of Object.entries<Record<string, Record<string, unknown>>>(synth.resource)) {
      for (const [id, body] of Object.entries(byId)) {
        if (typeof body.yaml === 'string') {
          const document = documents.get(id);
          expect({ id, isItsDocument: body.yaml === resolved(stack, escapeTerraformTemplate(document?.yaml ?? '')) }).toEqual({ id, isItsDocument: true });
          body.yaml = `<the YAML snapshot "${document!.snapshot}", escaped for Terraform>`;
        }
        const owner = paths.get(id);
        if (name === 'many-pairs' && type !== 'harness_platform_pipeline' && !shownPaths.some((p) => owner?.startsWith(p))) {
          delete byId[id];
        }
      }
    }
    if (name === 'many-pairs') {
      const shownOutputs = new Set(shownMirrors.flatMap((m) => m.directions).flatMap((d) => d.webhookTriggers.map((t) => `${t.identifier}_webhook_url`)));
      synth.output = Object.fromEntries(Object.entries(synth.output).filter(([k]) => shownOutputs.has(k)));
    }
    expect(synth).toMatchSnapshot();
  });

  test('rendered YAML, one document per snapshot', () => {
    for (const p of pipelines) {
      expect(withoutTokenNumbers(withScriptHash(p.yaml))).toMatchSnapshot(`pipeline ${p.identifier}`);
    }
    for (const d of shownMirrors.flatMap((m) => m.directions)) {
      expect(withoutTokenNumbers(d.inputSetYaml)).toMatchSnapshot(`input set ${d.identifier}`);
      for (const t of d.webhookTriggers) {
        expect(withoutTokenNumbers(t.yaml)).toMatchSnapshot(`trigger ${t.identifier}`);
      }
      if (d.reconcileTriggerYaml) {
        expect(withoutTokenNumbers(d.reconcileTriggerYaml)).toMatchSnapshot(`reconcile trigger ${d.identifier}`);
      }
    }
  });

  (withSchemas ? test : test.skip)('every pipeline and trigger validates against the official schemas', () => {
    for (const p of pipelines) {
      expect(pipelineSchemaErrors(YAML.parse(p.yaml))).toEqual([]);
    }
    for (const d of directions) {
      for (const t of d.webhookTriggers) {
        expect(triggerSchemaErrors(YAML.parse(t.yaml))).toEqual([]);
      }
      if (d.reconcileTriggerYaml) {
        expect(triggerSchemaErrors(YAML.parse(d.reconcileTriggerYaml))).toEqual([]);
      }
      expect(pipelineSchemaErrors({ pipeline: YAML.parse(d.inputSetYaml).inputSet.pipeline })).toEqual([]);
    }
  });
});
