/**
 * The status report in its three forms: a table per pair for people, JSON for scripts,
 * Markdown for a pull-request comment. Deterministic: the same results give the same text.
 */
import { REF_STATES, RefState, RefStatus } from '../model/status';
import { differs, DirectionReport } from './status';

const STATES = Object.keys(REF_STATES) as RefState[];

/** The count of each state, in report order. */
function counts(report: DirectionReport): Record<RefState, number> {
  const c = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<RefState, number>;
  for (const r of report.refs) {
    c[r.state]++;
  }
  return c;
}

/** The refs that are not in sync. */
function differing(report: DirectionReport): RefStatus[] {
  return report.refs.filter((r) => r.state !== 'in-sync');
}

/** Reports grouped by pair, in order of first appearance. */
function byPair(reports: readonly DirectionReport[]): Array<[string, DirectionReport[]]> {
  const groups = new Map<string, DirectionReport[]>();
  for (const r of reports) {
    groups.set(r.pair, [...(groups.get(r.pair) ?? []), r]);
  }
  return [...groups.entries()];
}

/** The last line: how many directions are in sync, differ, failed. */
function tally(reports: readonly DirectionReport[]): string {
  const failed = reports.filter((r) => r.errors.length > 0).length;
  const out = reports.filter((r) => r.errors.length === 0 && differs(r)).length;
  const ok = reports.length - failed - out;
  return `${reports.length} direction${reports.length === 1 ? '' : 's'}: ${ok} in sync, ${out} out of sync, ${failed} failed`;
}

/** Columns padded to their widest cell, two blanks apart. */
function columns(rows: readonly string[][], indent: string): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
}

/** The report for people: per pair, per direction, the counts, then each ref that differs with both SHAs and what the mirror does. */
export function renderTable(reports: readonly DirectionReport[]): string {
  const lines: string[] = [];
  for (const [pair, directions] of byPair(reports)) {
    const spec = directions[0].spec;
    lines.push(`${pair} (${spec.twoWay ? 'two-way' : 'one-way'}; stack ${spec.stack}, pipeline ${spec.pipeline})`);
    for (const d of directions) {
      lines.push(`  ${d.spec.direction}: ${d.spec.source.url} -> ${d.spec.target.url}`);
      if (d.errors.length > 0) {
        lines.push(...d.errors.map((e) => `    ERROR ${e}`));
        continue;
      }
      const c = counts(d);
      lines.push(`    ${d.refs.length} refs: ${STATES.map((s) => `${c[s]} ${s}`).join(', ')}`);
      const rows = differing(d).map((r) => [r.ref, r.state, r.source ?? '-', r.target ?? '-', r.reason]);
      if (rows.length > 0) {
        lines.push(...columns([['REF', 'STATE', 'SOURCE', 'TARGET', 'THE MIRROR'], ...rows], '    '));
      }
      lines.push(...d.skipped.map((s) => `    ${s}`));
    }
    lines.push('');
  }
  lines.push(reports.length === 0 ? 'No mirrors found.' : tally(reports));
  return `${lines.join('\n')}\n`;
}

/** The report for scripts: one object per direction. */
export function renderJson(reports: readonly DirectionReport[]): string {
  const doc = reports.map((d) => ({
    pair: d.pair,
    direction: d.spec.direction,
    source: d.spec.source.url,
    target: d.spec.target.url,
    refs: d.refs.map((r) => ({ ref: r.ref, state: r.state, source: r.source, target: r.target })),
    ...(d.errors.length > 0 ? { error: d.errors.join('; ') } : {}),
  }));
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A code span holding `text` in a Markdown table cell. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** Plain text in a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The report for a pull-request comment. */
export function renderMarkdown(reports: readonly DirectionReport[]): string {
  const lines = ['## Mirror status', ''];
  if (reports.length === 0) {
    lines.push('No mirrors found.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`| pair | direction | source | target | ${STATES.join(' | ')} |`, `| --- | --- | --- | --- | ${STATES.map(() => '---:').join(' | ')} |`);
  for (const d of reports) {
    const c = counts(d);
    const figures = d.errors.length > 0 ? STATES.map((_, i) => (i === 0 ? '**failed**' : '')) : STATES.map((s) => String(c[s]));
    lines.push(`| ${cell(d.pair)} | ${cell(d.spec.direction)} | ${code(d.spec.source.url)} | ${code(d.spec.target.url)} | ${figures.join(' | ')} |`);
  }
  lines.push('', tally(reports), '');
  for (const d of reports) {
    const rows = differing(d);
    if (d.errors.length === 0 && rows.length === 0 && d.skipped.length === 0) {
      continue;
    }
    lines.push(`### ${cell(d.pair)} ${cell(d.spec.direction)}`, '');
    if (d.errors.length > 0) {
      lines.push(...d.errors.map((e) => `- **Error:** ${cell(e)}`), '');
      continue;
    }
    if (rows.length > 0) {
      lines.push('| ref | state | source | target | the mirror |', '| --- | --- | --- | --- | --- |');
      lines.push(...rows.map((r) => `| ${code(r.ref)} | ${r.state} | ${r.source ? code(r.source) : '-'} | ${r.target ? code(r.target) : '-'} | ${cell(r.reason)} |`));
      lines.push('');
    }
    lines.push(...d.skipped.map((s) => `- ${cell(s)}`));
    if (d.skipped.length > 0) {
      lines.push('');
    }
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
