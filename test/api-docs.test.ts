import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const script = path.join(root, 'scripts', 'api-docs.js');

interface ApiDocs {
  collectApi(root?: string): unknown;
  render(api: unknown): string;
  staleness(expected: string, current: string | undefined): string | undefined;
  undocumentedFields(api: unknown): string[];
  undocumentedMembers(api: unknown): string[];
}
// A plain CommonJS script, loaded as such.
const apiDocs: ApiDocs = require(script);

describe('docs/API.md', () => {
  let api: unknown;
  let markdown: string;

  beforeAll(() => {
    api = apiDocs.collectApi(root);
    markdown = apiDocs.render(api);
  });

  test('given the committed docs/API.md, when the generator runs in check mode, then it finds it up to date', () => {
    let output: string;
    try {
      output = execFileSync(process.execPath, [script, '--check'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      const e = err as { status: number; stderr: string };
      throw new Error(`node scripts/api-docs.js --check exited ${e.status}:\n${e.stderr}`);
    }
    expect(output).toBe('docs/API.md is up to date\n');
  });

  test('given the exported interfaces, then every field has a doc comment and every optional field an @default', () => {
    expect(apiDocs.undocumentedFields(api)).toEqual([]);
  });

  test('given the exported classes, interfaces and enums, then each of them and each public member has a doc comment', () => {
    expect(apiDocs.undocumentedMembers(api)).toEqual([]);
  });

  test('given an optional prop, then its row shows the @default value as code', () => {
    const row = markdown.split('\n').find((l) => l.startsWith('| `identifier` | `string` | optional | `\'repo_mirror\'`'));
    expect(row).toBe("| `identifier` | `string` | optional | `'repo_mirror'` | Identifier of the pipeline. |");
  });

  test('given members marked @internal or named _..., then they are left out', () => {
    for (const hidden of ['_model', '_claimIdentifier', '_render']) {
      expect(markdown.includes(hidden)).toBe(false);
    }
  });

  test('given the generated provider binding, then it is listed by name with a one-line note and no fields table', () => {
    const section = markdown.slice(markdown.indexOf('## Generated provider binding'));
    expect(section.split('\n').slice(0, 6)).toEqual([
      '## Generated provider binding',
      '',
      '### HarnessProvider',
      '',
      "The generated binding of the harness/harness provider 0.45.1; see the provider's documentation for its config.",
      '',
    ]);
    expect(section.includes('| Name |')).toBe(false);
  });

  test('given a stale file, when compared, then the message says how to fix it and where it differs', () => {
    const stale = markdown.replace('Identifier of the pipeline.', 'Old text.');
    const line = markdown.split('\n').findIndex((l) => l.includes('Identifier of the pipeline.')) + 1;
    expect(apiDocs.staleness(markdown, stale)).toBe(
      'docs/API.md is out of date with the public API: run `npm run docs` and commit it\n'
        + `first difference at line ${line}:\n`
        + `  expected: ${markdown.split('\n')[line - 1]}\n`
        + `  found:    ${stale.split('\n')[line - 1]}`,
    );
    expect(apiDocs.staleness(markdown, undefined)).toBe('docs/API.md is missing: run `npm run docs` and commit it');
    expect(apiDocs.staleness(markdown, markdown)).toBeUndefined();
  });

  test('given the output, then it holds no absolute path of this checkout', () => {
    expect(fs.readFileSync(path.join(root, 'docs', 'API.md'), 'utf8').includes(root)).toBe(false);
  });
});
