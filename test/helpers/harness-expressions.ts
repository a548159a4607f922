/**
 * Resolves Harness `<+...>` expressions the way Harness does at run time, for tests:
 * every `<+expr>` in a text is replaced by the string value of `expr`, evaluated
 * against a context (pipeline variables, trigger payload and headers, secrets).
 *
 * Supported now: `pipeline.variables.NAME`, `trigger.payload.a.b[0].c`,
 * `trigger.header['Name']` (case-insensitive, like HTTP headers), `secrets.getValue("id")`.
 * An unknown expression throws, so a test never passes on a silently unresolved value.
 */

export interface HarnessContext {
  /** Pipeline variable values after input sets and trigger inputs are applied. */
  readonly pipelineVariables?: Record<string, string>;
  /** Names of pipeline variables of type Secret: their value is a secret identifier. */
  readonly secretVariables?: readonly string[];
  /** Secret values by identifier (`account.x`, `org.x`, `x`). */
  readonly secrets?: Record<string, string>;
  /** The webhook body, parsed. */
  readonly payload?: unknown;
  /** The webhook request headers. */
  readonly headers?: Record<string, string>;
}

/** Evaluates one expression (the text between `<+` and `>`); returns its value. */
export function evaluateExpression(expr: string, ctx: HarnessContext): unknown {
  const e = expr.trim();
  let m = /^pipeline\.variables\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(e);
  if (m) {
    const name = m[1];
    const vars = ctx.pipelineVariables ?? {};
    if (!(name in vars)) {
      throw new Error(`pipeline variable '${name}' has no value`);
    }
    const value = vars[name];
    if (ctx.secretVariables?.includes(name)) {
      return secretValue(value, ctx);
    }
    return value;
  }
  m = /^secrets\.getValue\("([^"]+)"\)$/.exec(e);
  if (m) {
    return secretValue(m[1], ctx);
  }
  m = /^trigger\.header\['([^']+)'\]$/.exec(e);
  if (m) {
    const wanted = m[1].toLowerCase();
    const found = Object.entries(ctx.headers ?? {}).find(([k]) => k.toLowerCase() === wanted);
    return found ? found[1] : null;
  }
  if (e === 'trigger.payload' || e.startsWith('trigger.payload.') || e.startsWith('trigger.payload[')) {
    return walk(ctx.payload, e.slice('trigger.payload'.length));
  }
  throw new Error(`unsupported Harness expression: <+${expr}>`);
}

/** Replaces every `<+...>` in `text` with its value; `null`/missing become the string `null`, as in Harness. */
export function resolveExpressions(text: string, ctx: HarnessContext): string {
  return text.replace(/<\+((?:[^<>"']|"[^"]*"|'[^']*')*)>/g, (_all, expr: string) => toText(evaluateExpression(expr, ctx)));
}

function toText(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function secretValue(id: string, ctx: HarnessContext): string {
  const secrets = ctx.secrets ?? {};
  if (!(id in secrets)) {
    throw new Error(`secret '${id}' is not defined`);
  }
  return secrets[id];
}

function walk(root: unknown, path: string): unknown {
  let current: unknown = root;
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let pos = 0;
  while (pos < path.length) {
    re.lastIndex = pos;
    const m = re.exec(path);
    if (!m) {
      throw new Error(`cannot parse payload path '${path}' at ${pos}`);
    }
    pos = re.lastIndex;
    const key = m[1] ?? m[3] ?? m[4] ?? Number(m[2]);
    if (current === null || current === undefined || typeof current !== 'object') {
      return null;
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current === undefined ? null : current;
}
