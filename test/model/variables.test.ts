/**
 * The pipeline's variables are one table: the pipeline, the Run step's environment, the
 * input sets and the triggers all take their names from it, so a misspelt name does not
 * compile, and every variable an input set or trigger sets is one the pipeline declares.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import { GitProvider, MirrorPipeline, RepoMirror, SecretRef } from '../../src';
import { PIPELINE_VARIABLES } from '../../src/model/variables';
import { newStack } from '../helpers/synth';

/** The compiler's errors for a module beside the model that uses `source`. */
function compileErrors(source: string): string[] {
  const file = path.join(__dirname, '..', '..', 'src', 'model', '__typo_check__.ts');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile;
  host.readFile = (f) => (path.resolve(f) === file ? source : readFile(f));
  host.fileExists = ((exists) => (f: string) => path.resolve(f) === file || exists(f))(host.fileExists);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the pipeline variables table', () => {
  test('given a misspelt variable name where a value is set, the code does not compile', () => {
    expect(compileErrors("import { variableValue } from './input-set';\nvariableValue('sourceToken', 'x');\n")).toEqual([]);
    expect(compileErrors("import { variableValue } from './input-set';\nvariableValue('sourceTokn', 'x');\n")).toEqual([
      expect.stringContaining(`Argument of type '"sourceTokn"' is not assignable to parameter of type`),
    ]);
  }, 60_000);

  test('given every input set and trigger of a pair, each variable it sets is declared by the pipeline, with the same type', () => {
    const stack = newStack();
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    const token = SecretRef.fromIdentifier('account.token');
    const mirror = new RepoMirror(stack, 'Api', {
      pipeline,
      source: { url: 'https://bitbucket.org/acme/api.git', provider: GitProvider.BITBUCKET_CLOUD, token },
      target: { url: 'https://github.com/acme/api.git', provider: GitProvider.GITHUB, token },
      twoWay: true,
      reconcile: { schedule: '0 * * * *' },
    });
    const declared = new Map<string, string>(YAML.parse(pipeline.yaml).pipeline.variables.map((v: { name: string; type: string }) => [v.name, v.type]));
    expect([...declared.keys()]).toEqual(PIPELINE_VARIABLES.map((v) => v.name));
    const documents = mirror.directions.flatMap((d) => [
      YAML.parse(d.inputSetYaml).inputSet.pipeline,
      ...d.webhookTriggers.map((t) => YAML.parse(YAML.parse(t.yaml).trigger.inputYaml).pipeline),
      YAML.parse(YAML.parse(d.reconcileTriggerYaml!).trigger.inputYaml).pipeline,
    ]);
    expect(documents).toHaveLength(2 + 5 + 2);
    for (const doc of documents) {
      for (const v of doc.variables as Array<{ name: string; type: string }>) {
        expect({ name: v.name, type: declared.get(v.name) }).toEqual({ name: v.name, type: v.type });
      }
    }
  });
});
