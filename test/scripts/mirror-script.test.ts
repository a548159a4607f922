/**
 * The mirror script as a file: how it is loaded, what it may contain so it survives being
 * embedded in pipeline YAML, and that its exit codes are the documented ones.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIRROR_EXIT_CODES, MIRROR_INTERNAL_STATUSES } from '../../src/model/exit-codes';
import { PIPELINE_VARIABLES, SCRIPT_LIMITS, SCRIPT_ONLY_INPUTS } from '../../src/model/variables';
import { mirrorScript } from '../../src/private/script';

const SCRIPT_FILE = path.join(__dirname, '..', '..', 'src', 'scripts', 'mirror.sh');

describe('mirror.sh', () => {
  const text = mirrorScript();

  test('the loader returns the file verbatim', () => {
    expect(text).toBe(fs.readFileSync(SCRIPT_FILE, 'utf8'));
  });

  test('starts with a POSIX sh shebang', () => {
    expect(text.split('\n')[0]).toBe('#!/bin/sh');
  });

  test('contains no Harness expression opener, which Harness would try to resolve', () => {
    expect(text.includes('<+')).toBe(false);
  });

  test('has no tabs, carriage returns or trailing blanks, so YAML keeps it as a literal block', () => {
    const bad = text.split('\n').flatMap((line, i) => (/[\t\r]|\s$/.test(line) ? [i + 1] : []));
    expect(bad).toEqual([]);
    expect(text.endsWith('\n')).toBe(true);
  });

  test.each(['dash', 'bash', 'sh'])('parses under %s', (shell) => {
    expect(() => execFileSync(shell, ['-n', SCRIPT_FILE], { stdio: 'pipe' })).not.toThrow();
  });

  test('defines exactly the exit codes of the table', () => {
    const defined: Record<string, number> = {};
    for (const m of text.matchAll(/^EXIT_([A-Z_]+)=(\d+)$/gm)) {
      defined[m[1]] = Number(m[2]);
    }
    const table = Object.fromEntries(Object.entries(MIRROR_EXIT_CODES).map(([name, c]) => [name, c.code]));
    expect(defined).toEqual(table);
  });

  test('prints the label of the table for every code', () => {
    const labels: Record<string, string> = {};
    for (const m of text.matchAll(/^\s+"\$EXIT_([A-Z_]+)"\) printf ([a-z-]+) ;;$/gm)) {
      labels[m[1]] = m[2];
    }
    const table = Object.fromEntries(Object.entries(MIRROR_EXIT_CODES).map(([name, c]) => [name, c.label]));
    // INTERNAL is the fallback arm (`*) printf internal`)
    expect({ ...labels, INTERNAL: text.includes('*) printf internal ;;') ? 'internal' : 'missing' }).toEqual(table);
  });

  test('the codes are distinct and stay clear of the shell and signal ranges', () => {
    const codes = Object.values(MIRROR_EXIT_CODES).map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => c < 126)).toBe(true);
  });

  test('docs/mirror-script.md lists the same codes, labels and retries', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'mirror-script.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) \| ([a-z-]+) \| (?:(yes) )?\|/gm)].map((m) => ({ code: Number(m[1]), label: m[2], retried: m[3] === 'yes' }));
    const table = Object.values(MIRROR_EXIT_CODES).map((c) => ({ code: c.code, label: c.label, retried: c.retried }));
    expect(rows).toEqual(table);
  });

  test('reads exactly the inputs of the tables: the pipeline variables\' and the script-only ones', () => {
    const read = [...new Set([...text.matchAll(/\$\{(MIRROR_[A-Z_]+)-\}/g)].map((m) => m[1]))].sort();
    const tables = [...PIPELINE_VARIABLES.map((v) => v.env), ...Object.values(SCRIPT_ONLY_INPUTS).map((i) => i.env)].sort();
    expect(read).toEqual(tables);
    // and names no other MIRROR_ variable, not even in a comment
    expect([...new Set([...text.matchAll(/MIRROR_[A-Z_]+/g)].map((m) => m[0]))].sort()).toEqual(tables);
  });

  test('defines the limits of the table', () => {
    const defined: Record<string, number> = {};
    for (const name of Object.keys(SCRIPT_LIMITS)) {
      const m = new RegExp(`^${name}=(\\d+)$`, 'm').exec(text);
      defined[name] = m ? Number(m[1]) : NaN;
    }
    expect(defined).toEqual(SCRIPT_LIMITS);
  });

  test('defines the internal statuses of the table, clear of the exit codes, and returns no status by a bare number', () => {
    const defined: Record<string, number> = {};
    for (const name of Object.keys(MIRROR_INTERNAL_STATUSES)) {
      const m = new RegExp(`^${name}=(\\d+)$`, 'm').exec(text);
      defined[name] = m ? Number(m[1]) : NaN;
    }
    expect(defined).toEqual(MIRROR_INTERNAL_STATUSES);
    const exitCodes: number[] = Object.values(MIRROR_EXIT_CODES).map((c) => c.code);
    expect(Object.values(MIRROR_INTERNAL_STATUSES).filter((code) => exitCodes.includes(code))).toEqual([]);
    // `return N`, `exit N` and comparisons of a status name it, but for 0 and 1 (and the
    // shell's 128 + signal in the traps).
    const bare = text.split('\n').flatMap((line, i) =>
      /^\s*#/.test(line)
        ? []
        : [...line.matchAll(/\b(?:return|exit) ([2-9]|[1-9]\d|1[01]\d|12[0-7])\b|"\$\w*status" -(?:eq|ne) ([2-9]|\d{2,})\b/g)].map((m) => `${i + 1}: ${m[0]}`),
    );
    expect(bare).toEqual([]);
  });

  test('only the unavailable class is retried', () => {
    expect(Object.entries(MIRROR_EXIT_CODES).filter(([, c]) => c.retried).map(([n]) => n)).toEqual(['UNAVAILABLE']);
  });
});
