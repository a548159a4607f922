/**
 * A git server for tests: bare repositories served over smart HTTPS by the real
 * `git http-backend` (as a CGI program) behind Basic authentication, on loopback, on an
 * ephemeral port. Any user name is accepted; the password is the token.
 *
 * Each repository has its own set of accepted tokens, each mapped to a label that the
 * backend sees as `REMOTE_USER`, so server-side hooks can tell which client pushed.
 * Faults can be injected: the next N requests answer with an HTTP status (e.g. 503).
 */
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { selfSignedCertificate } from './tls';

/** Where git keeps its helper programs (`git --exec-path`). */
const GIT_EXEC_PATH = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
const HTTP_BACKEND = path.join(GIT_EXEC_PATH, 'git-http-backend');

/** Options of `startGitServer`. */
export interface GitServerOptions {
  /** Serve HTTPS with a self-signed certificate (see `caFile`). @default true */
  readonly https?: boolean;
}

/** One request as the server saw it, for assertions. */
export interface ServedRequest {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** The label of the token used, or undefined when authentication failed. */
  readonly user?: string;
  /** The user name of the Basic credential, if one was sent. */
  readonly basicUser?: string;
  /** The connection it came on (numbered in the order connections were opened): one git process's requests share one. */
  readonly connection: number;
  /** When the request arrived and when its response ended, in milliseconds on the server's clock. */
  readonly start: number;
  end: number;
}

/**
 * The connections `requests` came on, in the order they were opened, each as
 * "<repository> <service> x<requests>" (e.g. "a upload-pack x2"): one git process's
 * requests to one server share a connection and follow one another.
 */
export function connectionsOf(requests: readonly ServedRequest[]): string[] {
  const order: number[] = [];
  const seen = new Map<number, ServedRequest[]>();
  for (const q of [...requests].sort((x, y) => x.start - y.start)) {
    if (!seen.has(q.connection)) {
      order.push(q.connection);
      seen.set(q.connection, []);
    }
    seen.get(q.connection)!.push(q);
  }
  return order.map((c) => {
    const qs = seen.get(c)!;
    const repo = /^\/([^/]+)\.git/.exec(qs[0].url)?.[1] ?? '?';
    const service = qs.some((q) => q.url.includes('receive-pack')) ? 'receive-pack' : 'upload-pack';
    return `${repo} ${service} x${qs.length}`;
  });
}

/**
 * How many of `requests` were made one after the other: the longest chain of requests,
 * each asked after the one before it, where a chain keeps to one connection (one git
 * process) or goes on to a connection that was not in use at the same time. Two
 * connections were in use at the same time when their spans (first request to last
 * response) overlap, unless one was used entirely between two requests of the other (a
 * child process of that git command, such as the negotiation before a push). So two
 * listings asked at once count as two requests, not four; whether they overlapped is
 * measured, not assumed.
 */
export function sequentialRequests(requests: readonly ServedRequest[]): number {
  const byConnection = new Map<number, ServedRequest[]>();
  for (const q of [...requests].sort((x, y) => x.start - y.start)) {
    byConnection.set(q.connection, [...(byConnection.get(q.connection) ?? []), q]);
  }
  const first = (c: number) => byConnection.get(c)![0].start;
  const last = (c: number) => byConnection.get(c)![byConnection.get(c)!.length - 1].start;
  const end = (c: number) => Math.max(...byConnection.get(c)!.map((q) => q.end));
  /** Whether connection `inner` was used only between two requests of `outer`. */
  const nested = (inner: number, outer: number) => {
    const qs = byConnection.get(outer)!;
    return qs.some((q, i) => i + 1 < qs.length && q.start < first(inner) && last(inner) < qs[i + 1].start);
  };
  const concurrent = (a: number, b: number) =>
    a !== b && first(a) < end(b) && first(b) < end(a) && !nested(a, b) && !nested(b, a);
  const sorted = [...requests].sort((x, y) => x.start - y.start);
  const chain: number[] = [];
  sorted.forEach((q, i) => {
    let longest = 0;
    for (let j = 0; j < i; j++) {
      if (!concurrent(sorted[j].connection, q.connection)) longest = Math.max(longest, chain[j]);
    }
    chain.push(longest + 1);
  });
  return Math.max(0, ...chain);
}

/** A running test git server. */
export class GitServer {
  /** Folder holding the bare repositories (`<root>/<name>.git`). */
  public readonly root: string;
  /** PEM file of the server's certificate, for `GIT_SSL_CAINFO`; undefined for plain HTTP. */
  public readonly caFile?: string;
  /**
   * An empty folder, for `GIT_SSL_CAPATH`: trusting only `caFile` spares each git command
   * loading the system's certificate store (tens of milliseconds).
   */
  public readonly emptyCaPath: string;
  /** Every request served, in order. */
  public readonly requests: ServedRequest[] = [];
  private readonly tokens = new Map<string, Map<string, { label: string; readOnly: boolean }>>();
  private faults: Array<{ status: number; repo?: string; pushOnly?: boolean }> = [];
  private readonly hooks: Array<{ url: RegExp; action: () => void }> = [];
  private readonly shallowRefused = new Set<string>();
  private readonly v0Only = new Set<string>();
  private readonly connections = new WeakMap<object, number>();
  private connectionCount = 0;

  constructor(
    private readonly server: http.Server,
    public readonly baseUrl: string,
    private readonly dir: string,
    caFile: string | undefined,
  ) {
    this.root = path.join(dir, 'repos');
    this.caFile = caFile;
    this.emptyCaPath = path.join(dir, 'capath');
    fs.mkdirSync(this.emptyCaPath, { recursive: true });
  }

  /**
   * Creates an empty bare repository `<name>.git` accepting the given tokens
   * (token -> label; the label becomes `REMOTE_USER`). Returns its path on disk.
   */
  public createRepo(name: string, tokens: Record<string, string> = {}): string {
    const dir = path.join(this.root, `${name}.git`);
    git(['init', '--bare', '--quiet', '--initial-branch=main', dir]);
    git(['-C', dir, 'config', 'http.receivepack', 'true']);
    git(['-C', dir, 'config', 'gc.auto', '0']);
    git(['-C', dir, 'config', 'receive.autogc', 'false']);
    this.tokens.set(name, new Map());
    for (const [token, label] of Object.entries(tokens)) {
      this.allowToken(name, token, label);
    }
    return dir;
  }

  /** Adds an accepted token (with its label) to a repository; a read-only token gets HTTP 403 on push. */
  public allowToken(name: string, token: string, label: string, options: { readOnly?: boolean } = {}): void {
    const map = this.tokens.get(name);
    if (!map) {
      throw new Error(`no repository ${name}`);
    }
    map.set(token, { label, readOnly: options.readOnly ?? false });
  }

  /** Installs an executable server-side hook (`pre-receive`, `post-receive`, ...) in a repository. */
  public installHook(name: string, hook: string, script: string): void {
    const file = path.join(this.repoPath(name), 'hooks', hook);
    fs.writeFileSync(file, script, { mode: 0o755 });
  }

  /** Path of a repository on disk. */
  public repoPath(name: string): string {
    return path.join(this.root, `${name}.git`);
  }

  /** The https clone URL of a repository. */
  public url(name: string): string {
    return `${this.baseUrl}/${name}.git`;
  }

  /**
   * Makes the next `count` requests (to `repo` only, if given) answer `status` without
   * reaching git; status 0 drops the connection without answering.
   */
  public failNext(count: number, status: number = 503, repo?: string): void {
    for (let i = 0; i < count; i++) {
      this.faults.push({ status, repo });
    }
  }

  /**
   * Makes the next `count` pack uploads of a push (POST .../git-receive-pack, to `repo`
   * only, if given) answer `status` without reaching git, as a proxy in front of the
   * server answers a request it finds too large (413) or gives up waiting on (504).
   */
  public failNextPush(count: number, status: number, repo?: string): void {
    for (let i = 0; i < count; i++) {
      this.faults.push({ status, repo, pushOnly: true });
    }
  }

  /**
   * Makes a repository's upload-pack advertise no `shallow` capability, like a server
   * without shallow support: a client then refuses `--depth` fetches from it.
   */
  public refuseShallow(name: string): void {
    this.shallowRefused.add(name);
  }

  /**
   * Runs `action` just before the server handles the next request whose URL matches
   * `url` (once), e.g. to move a ref between two requests of one git command.
   */
  public beforeNextRequest(url: RegExp, action: () => void): void {
    this.hooks.push({ url, action });
  }

  /**
   * Makes a repository speak protocol v0 only, like a server that ignores the client's
   * `Git-Protocol` header: no fetch by an id no ref points at (unless the repository sets
   * `uploadpack.allowReachableSHA1InWant`), no negotiation before a push.
   */
  public refuseProtocolV2(name: string): void {
    this.v0Only.add(name);
  }

  /** Stops listening, closes open connections and removes the repositories. */
  public async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** @internal request handler */
  public handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const repoMatch = /^\/([^/]+)\.git(\/.*)?$/.exec(url.pathname);
    const repo = repoMatch ? repoMatch[1] : undefined;
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
    const basicUser = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0] : undefined;
    const start = performance.now();
    if (!this.connections.has(req.socket)) {
      this.connections.set(req.socket, ++this.connectionCount);
    }
    const connection = this.connections.get(req.socket)!;
    const record = (status: number, user?: string) => {
      const served: ServedRequest = { method: req.method ?? '', url: req.url ?? '', status, user, basicUser, connection, start, end: start };
      this.requests.push(served);
      res.once('finish', () => {
        served.end = performance.now();
      });
    };

    const hookIndex = this.hooks.findIndex((h) => h.url.test(req.url ?? ''));
    if (hookIndex >= 0) {
      const [hook] = this.hooks.splice(hookIndex, 1);
      hook.action();
    }
    const packUpload = req.method === 'POST' && url.pathname.endsWith('/git-receive-pack');
    const faultIndex = this.faults.findIndex((f) => (f.repo === undefined || f.repo === repo) && (!f.pushOnly || packUpload));
    if (faultIndex >= 0) {
      const [fault] = this.faults.splice(faultIndex, 1);
      record(fault.status);
      req.resume();
      if (fault.status === 0) {
        req.socket.destroy();
        return;
      }
      res.writeHead(fault.status, { 'Content-Type': 'text/plain' });
      res.end(`injected failure ${fault.status}\n`);
      return;
    }
    if (!repo || !this.tokens.has(repo)) {
      record(404);
      req.resume();
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('repository not found\n');
      return;
    }
    const grant = this.authenticate(req.headers.authorization, repo);
    if (!grant) {
      record(401);
      req.resume();
      res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('authentication required\n');
      return;
    }
    const wantsPush = url.searchParams.get('service') === 'git-receive-pack' || url.pathname.endsWith('/git-receive-pack');
    if (wantsPush && grant.readOnly) {
      record(403, grant.label);
      req.resume();
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end('this token may not push\n');
      return;
    }
    const stripShallow = this.shallowRefused.has(repo) && url.pathname.endsWith('/info/refs') && !wantsPush;
    this.runBackend(req, res, url, grant.label, record, stripShallow, this.v0Only.has(repo));
  }

  private authenticate(header: string | undefined, repo: string): { label: string; readOnly: boolean } | undefined {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(header ?? '');
    if (!m) {
      return undefined;
    }
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      return undefined;
    }
    return this.tokens.get(repo)?.get(decoded.slice(colon + 1));
  }

  private runBackend(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    user: string,
    record: (status: number, user?: string) => void,
    stripShallow: boolean = false,
    v0Only: boolean = false,
  ): void {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: this.root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: this.root,
      REQUEST_METHOD: req.method,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REMOTE_USER: user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
    };
    if (req.headers['content-length'] !== undefined) {
      env.CONTENT_LENGTH = req.headers['content-length'];
    }
    if (req.headers['content-encoding'] !== undefined) {
      env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
    }
    if (req.headers['git-protocol'] !== undefined && !v0Only) {
      env.GIT_PROTOCOL = String(req.headers['git-protocol']);
    }
    const child = spawn(HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    child.stderr.resume();

    let head = Buffer.alloc(0);
    let headersSent = false;
    const held: Buffer[] = [];
    const write = (chunk: Buffer) => {
      if (stripShallow) {
        held.push(chunk);
      } else if (!res.write(chunk)) {
        // Backpressure: a large fetch is not buffered whole in this process.
        child.stdout.pause();
        res.once('drain', () => child.stdout.resume());
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      let end = head.indexOf('\r\n\r\n');
      let sepLen = 4;
      if (end < 0) {
        end = head.indexOf('\n\n');
        sepLen = 2;
      }
      if (end < 0) {
        return;
      }
      const lines = head.subarray(0, end).toString('latin1').split(/\r?\n/);
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        if (i < 0) {
          continue;
        }
        const key = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (key.toLowerCase() === 'status') {
          status = parseInt(value, 10);
        } else {
          headers[key] = value;
        }
      }
      record(status, user);
      if (stripShallow) {
        delete headers['Content-Length'];
      }
      res.writeHead(status, headers);
      headersSent = true;
      write(head.subarray(end + sepLen));
    });
    child.on('close', () => {
      if (!headersSent) {
        record(500, user);
        res.writeHead(500);
      }
      if (stripShallow) {
        res.write(withoutShallowCapability(Buffer.concat(held)));
      }
      res.end();
    });
    child.on('error', () => {
      if (!headersSent) {
        headersSent = true;
        record(500, user);
        res.writeHead(500);
        res.end();
      }
    });
  }
}

/**
 * A ref advertisement (pkt-lines) without the `shallow` capability: dropped from the
 * protocol v2 `fetch=` line and from the v0 capability list after the first ref's NUL.
 */
export function withoutShallowCapability(advertisement: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at + 4 <= advertisement.length) {
    const len = parseInt(advertisement.subarray(at, at + 4).toString('latin1'), 16);
    if (Number.isNaN(len) || len < 4) {
      out.push(advertisement.subarray(at, at + 4)); // flush, delim or response-end
      at += 4;
      continue;
    }
    let line = advertisement.subarray(at + 4, at + len).toString('latin1');
    at += len;
    const drop = (caps: string) => caps.split(' ').filter((c) => c.replace(/\n$/, '') !== 'shallow').join(' ');
    if (line.startsWith('fetch=')) {
      line = `fetch=${drop(line.slice('fetch='.length))}`;
    } else if (line.includes('\0')) {
      const nul = line.indexOf('\0');
      line = line.slice(0, nul + 1) + drop(line.slice(nul + 1));
    }
    if (!line.endsWith('\n') && advertisement.subarray(at - 1, at).toString('latin1') === '\n') {
      line += '\n';
    }
    const body = Buffer.from(line, 'latin1');
    out.push(Buffer.from((body.length + 4).toString(16).padStart(4, '0'), 'latin1'), body);
  }
  out.push(advertisement.subarray(at));
  return Buffer.concat(out);
}

/** Starts a git server on 127.0.0.1 with an ephemeral port. */
export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-git-server-'));
  fs.mkdirSync(path.join(dir, 'repos'));
  const useHttps = options.https ?? true;
  // The handler serves requests only once the server below is listening and `created.server` is set.
  const created: { server?: GitServer } = {};
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => created.server!.handle(req, res);
  let server: http.Server;
  let caFile: string | undefined;
  if (useHttps) {
    const { cert, key } = selfSignedCertificate();
    caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, cert);
    server = https.createServer({ cert, key }, handler);
  } else {
    server = http.createServer(handler);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  created.server = new GitServer(server, `${useHttps ? 'https' : 'http'}://127.0.0.1:${port}`, dir, caFile);
  return created.server;
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
}
