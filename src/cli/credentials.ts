/**
 * The credentials of a side for the status report: the token of its Harness secret from the
 * environment variable `MIRROR_SECRET_<R>`, or else what git's own credential helpers give
 * for its URL. A token only ever travels in memory and in the mirror script's environment:
 * never in a process argument, a file or the output.
 */
import { spawn } from 'node:child_process';

/** The prefix of the environment variables that hold tokens, by secret reference. */
export const SECRET_ENV_PREFIX = 'MIRROR_SECRET_';

/** How long `git credential fill` may take before the side is reported as lacking a credential. */
const CREDENTIAL_HELPER_TIMEOUT_MS = 30_000;

/**
 * The environment variable that holds the token of Harness secret `reference`: upper case,
 * every character that is not a letter or digit replaced by `_`
 * (`account.gh_token` -> `MIRROR_SECRET_ACCOUNT_GH_TOKEN`).
 */
export function secretEnvName(reference: string): string {
  return `${SECRET_ENV_PREFIX}${reference.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** A side's credential, and where it came from (for messages; never the value). */
export interface Credential {
  readonly username: string;
  readonly token: string;
  /** `MIRROR_SECRET_...` or `git credential helper`. */
  readonly from: string;
}

/**
 * The credential for `url`: the token in `MIRROR_SECRET_<secret>` with `username`, or, when
 * that is unset or empty, the user name and password git's credential helpers return for the
 * URL (`git credential fill`, never prompting). Throws, naming both ways, when neither
 * gives one.
 */
export async function credentialFor(url: string, secret: string, username: string, env: NodeJS.ProcessEnv): Promise<Credential> {
  const name = secretEnvName(secret);
  const fromEnv = env[name];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { username, token: fromEnv, from: name };
  }
  const filled = await gitCredentialFill(url, env);
  if (filled?.password) {
    return { username: filled.username || username, token: filled.password, from: 'git credential helper' };
  }
  throw new Error(`no token: set ${name} (the value of Harness secret ${secret}), or configure a git credential helper for ${new URL(url).origin}`);
}

/** What `git credential fill` returns for `url`, or undefined when it has nothing (or fails). */
function gitCredentialFill(url: string, env: NodeJS.ProcessEnv): Promise<{ username?: string; password?: string } | undefined> {
  const u = new URL(url);
  const request = `protocol=https\nhost=${u.host}\npath=${u.pathname.replace(/^\/+/, '')}\n\n`;
  return new Promise((resolve) => {
    const child = spawn('git', ['credential', 'fill'], {
      // Never prompt: no terminal, no askpass program.
      env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const out: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), CREDENTIAL_HELPER_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        resolve(undefined);
        return;
      }
      const fields: Record<string, string> = {};
      for (const line of Buffer.concat(out).toString('utf8').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) {
          fields[line.slice(0, eq)] = line.slice(eq + 1);
        }
      }
      resolve({ username: fields.username, password: fields.password });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(request);
  });
}
