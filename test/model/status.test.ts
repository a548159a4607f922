/**
 * The status report's states: README's "Operating" table says what each one means and what
 * to do, in the words of src/model/status.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REF_STATES } from '../../src/model/status';

describe('REF_STATES', () => {
  test('README lists every state, in order, with its meaning and what to do, as the table has them', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### What each state means and what to do'));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \| (.*) \| (.*) \|$/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(Object.entries(REF_STATES).map(([state, info]) => [state, info.meaning, info.todo]));
  });
});
