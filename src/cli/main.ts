#!/usr/bin/env node
/**
 * The `cdktf-harness-mirror` command. One subcommand, `status`: is every mirrored pair of a
 * synthesized app in sync right now? See the README, "Operating".
 */
import { parseArgs } from 'node:util';
import { STATUS_EXIT_CODES } from '../model/status';
import { renderJson, renderMarkdown, renderTable } from './report';
import { runStatus } from './status';

const USAGE = `Usage: cdktf-harness-mirror status [--out DIR] [--stack NAME] [--json | --markdown]

Compares both sides of every mirrored direction of the app synthesized into DIR (default
cdktf.out) and classifies every matching branch and tag: in-sync, missing, behind, ahead,
diverged, extra. Changes nothing.

  --out DIR      cdktf's output folder (default: cdktf.out)
  --stack NAME   only this stack
  --json         one JSON object per direction on stdout
  --markdown     a Markdown report, for a pull-request comment

Tokens: the token of Harness secret R is read from MIRROR_SECRET_<R> (upper case, every
character other than a letter or digit as _: account.gh_token -> MIRROR_SECRET_ACCOUNT_GH_TOKEN);
when that is unset, from git's credential helpers.

Exit: ${STATUS_EXIT_CODES.IN_SYNC} all in sync, ${STATUS_EXIT_CODES.OUT_OF_SYNC} some ref differs, ${STATUS_EXIT_CODES.ERROR} a side could not be read or bad usage.
`;

/** Runs the command with `argv` (without `node` and the script); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  stdout: (text: string) => void,
  stderr: (text: string) => void,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        stack: { type: 'string' },
        json: { type: 'boolean' },
        markdown: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    stderr(`cdktf-harness-mirror: ${(e as Error).message}\n${USAGE}`);
    return STATUS_EXIT_CODES.ERROR;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    stdout(USAGE);
    return STATUS_EXIT_CODES.IN_SYNC;
  }
  if (positionals.length !== 1 || positionals[0] !== 'status') {
    stderr(`cdktf-harness-mirror: ${positionals.length === 0 ? 'no command given' : `unknown command ${JSON.stringify(positionals.join(' '))}`}\n${USAGE}`);
    return STATUS_EXIT_CODES.ERROR;
  }
  if (values.json && values.markdown) {
    stderr(`cdktf-harness-mirror: --json and --markdown exclude each other\n${USAGE}`);
    return STATUS_EXIT_CODES.ERROR;
  }
  try {
    const result = await runStatus({
      out: values.out ?? 'cdktf.out',
      stack: values.stack,
      env,
      progress: (line) => stderr(`${line}\n`),
    });
    const render = values.json ? renderJson : values.markdown ? renderMarkdown : renderTable;
    stdout(render(result.reports));
    for (const r of result.reports) {
      for (const e of r.errors) {
        stderr(`error: ${r.pair} ${r.spec.direction}: ${e}\n`);
      }
    }
    return result.exitCode;
  } catch (e) {
    stderr(`cdktf-harness-mirror: ${(e as Error).message}\n`);
    return STATUS_EXIT_CODES.ERROR;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, (t) => process.stdout.write(t), (t) => process.stderr.write(t)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`cdktf-harness-mirror: ${(e as Error).message}\n`);
      process.exitCode = STATUS_EXIT_CODES.ERROR;
    },
  );
}
