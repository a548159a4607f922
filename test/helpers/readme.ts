/**
 * The README's named code blocks: a fence whose info string has a second word
 * (```json cdktf.json, ```sh start-app) is a file or a command list the tests run as written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The README's named code blocks, by name; their text without the fences. */
export function readmeBlocks(): Record<string, string> {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const blocks: Record<string, string> = {};
  for (const m of readme.matchAll(/^( *)```[a-z]+ ([^\s`]+)\n([\s\S]*?)^\1```$/gm)) {
    const indent = m[1];
    blocks[m[2]] = m[3]
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n');
  }
  return blocks;
}

/** The commands of a named `sh` block, one per line, comments and blank lines dropped. */
export function readmeCommands(name: string): string[] {
  const block = readmeBlocks()[name];
  if (block === undefined) {
    throw new Error(`README has no code block named ${name}`);
  }
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
