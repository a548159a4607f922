/**
 * Direct manipulation of bare repositories on disk, standing in for users pushing to a
 * hosted repository: make commits and tags, move and delete refs, read refs back.
 */
import { execFileSync } from 'node:child_process';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.test',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.test',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_DATE: '1700000000 +0000',
};

/** Runs git in a bare repository and returns its trimmed stdout. */
export function gitIn(repo: string, args: readonly string[], input?: string): string {
  return execFileSync('git', ['--git-dir', repo, ...args], {
    encoding: 'utf8',
    input,
    env: { PATH: process.env.PATH, HOME: repo, GIT_CONFIG_NOSYSTEM: '1', ...IDENTITY },
    stdio: ['pipe', 'pipe', 'pipe'],
  }).trim();
}

/** The value of a ref (a commit or tag object id), or undefined when it does not exist. */
export function refValue(repo: string, ref: string): string | undefined {
  try {
    return gitIn(repo, ['rev-parse', '--verify', '--quiet', ref]) || undefined;
  } catch {
    return undefined;
  }
}

/** All refs under refs/heads and refs/tags, name -> value. */
export function allRefs(repo: string): Record<string, string> {
  const out = gitIn(repo, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/tags']);
  const refs: Record<string, string> = {};
  for (const line of out.split('\n').filter((l) => l.length > 0)) {
    const [name, value] = line.split(' ');
    refs[name] = value;
  }
  return refs;
}

/** The type of an object (`commit`, `tag`, ...). */
export function objectType(repo: string, oid: string): string {
  return gitIn(repo, ['cat-file', '-t', oid]);
}

/** Whether `ancestor` is an ancestor of (or equal to) `descendant`. */
export function isAncestor(repo: string, ancestor: string, descendant: string): boolean {
  try {
    gitIn(repo, ['merge-base', '--is-ancestor', ancestor, descendant]);
    return true;
  } catch {
    return false;
  }
}

/** Writes a new commit with the given parents (one file named after the message) and returns its id. */
export function makeCommit(repo: string, message: string, parents: readonly string[]): string {
  const blob = gitIn(repo, ['hash-object', '-w', '--stdin'], `${message}\n`);
  const tree = gitIn(repo, ['mktree'], `100644 blob ${blob}\tfile.txt\n`);
  return gitIn(repo, ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message]);
}

/**
 * Sets `ref` to `value`, only if it currently holds `expectedOld` (undefined = must not
 * exist); throws otherwise, like a server-side compare-and-swap.
 */
export function setRef(repo: string, ref: string, value: string, expectedOld: string | undefined): void {
  gitIn(repo, ['update-ref', ref, value, expectedOld ?? '0'.repeat(40)]);
}

/** Deletes `ref`, only if it currently holds `expectedOld`. */
export function deleteRef(repo: string, ref: string, expectedOld: string): void {
  gitIn(repo, ['update-ref', '-d', ref, expectedOld]);
}

/** Adds a commit on top of `ref` (creating the ref from `base` or as a root commit) and returns it. */
export function commitOn(repo: string, ref: string, message: string, base?: string): string {
  const old = refValue(repo, ref);
  const parent = base ?? old;
  const sha = makeCommit(repo, message, parent ? [parent] : []);
  setRef(repo, ref, sha, old);
  return sha;
}

/** Creates (or with `force`, moves) an annotated tag on `target`; returns the tag object id. */
export function annotatedTag(repo: string, name: string, target: string, message: string, force: boolean = false): string {
  gitIn(repo, ['tag', ...(force ? ['-f'] : []), '-a', '-m', message, name, target]);
  return gitIn(repo, ['rev-parse', `refs/tags/${name}`]);
}

/** Sets `ref` in `to` to its value in `from`, objects included (a setup shortcut, not a mirror run). */
export function copyRef(from: string, to: string, ref: string): void {
  gitIn(to, ['fetch', '--quiet', '--no-tags', from, `+${ref}:${ref}`]);
}
