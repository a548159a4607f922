/**
 * Resolves Harness `<+...>` expressions the way Harness does at run time, for tests:
 * every `<+expr>` in a text is replaced by the string value of `expr`, evaluated
 * against a context (pipeline variables, trigger payload and headers, secrets).
 *
 * References: `pipeline.variables.NAME`, `trigger.payload.a.b[0].c`,
 * `trigger.header['Name']` (case-insensitive, like HTTP headers), `secrets.getValue("id")`.
 * An unknown expression throws, so a test never passes on a silently unresolved value.
 *
 * Inside `<+ ... >` the JEXL subset the trigger mappings use is evaluated:
 * nested `<+...>` references, string literals ('..' or ".."), numbers, `null`, `true`,
 * `false`, parentheses, `a ? b : c`, `==`, `!=`, `&&`, `||`, `!`, string concatenation
 * with `+`, member and index access, and the Java string methods `contains`,
 * `startsWith`, `endsWith`, `equals` and `matches` (a full match, as in Java).
 * Stricter than JEXL on purpose: `+` with a null operand, `&&`/`||`/`!`/`?:` on a
 * non-boolean and a method call on null throw instead of guessing.
 *
 * `evaluateTriggerConditions` decides whether a custom webhook trigger starts for a
 * delivery (see its doc comment for the condition semantics).
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
  const parser = new Parser(expr, 0);
  const node = parser.parseExpression();
  parser.expectEnd();
  return evaluate(node, ctx);
}

/** Replaces every `<+...>` in `text` with its value; `null`/missing become the string `null`, as in Harness. */
export function resolveExpressions(text: string, ctx: HarnessContext): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const start = text.indexOf('<+', pos);
    if (start < 0) {
      return out + text.slice(pos);
    }
    const parser = new Parser(text, start);
    const node = parser.parseWrapped();
    out += text.slice(pos, start) + toText(evaluate(node, ctx));
    pos = parser.pos;
  }
}

/** The condition part of a custom webhook trigger's `source.spec.spec`. */
export interface TriggerConditionsSpec {
  readonly headerConditions?: readonly { readonly key: string; readonly operator: string; readonly value: string }[];
  readonly payloadConditions?: readonly { readonly key: string; readonly operator: string; readonly value: string }[];
  readonly jexlCondition?: string;
}

/**
 * Whether a custom webhook trigger starts a run for the delivery in `ctx`, with Harness's
 * semantics: every header condition AND every payload condition AND the JEXL condition
 * must hold (absent lists and an absent JEXL condition hold).
 *
 * - A condition's `key` must be exactly one `<+...>` expression. When it resolves to null
 *   (missing header or payload field) the condition fails, whatever the operator, so a
 *   test never passes because a field was missing.
 * - Comparisons are case-sensitive on the value (header names are not).
 * - `In` / `NotIn`: `value` is a comma-separated list whose items are trimmed.
 * - `Regex`: Java `String.matches()`, i.e. the whole value must match (the trigger mappings
 *   anchor their expressions with `^...$`, so a substring search would decide the same).
 * - `jexlCondition` must evaluate to the boolean `true`.
 * - Evaluation stops at the first failing condition (headers, then payload, then JEXL);
 *   an expression error is thrown, not read as "does not match".
 */
export function evaluateTriggerConditions(spec: TriggerConditionsSpec, ctx: HarnessContext): boolean {
  for (const condition of [...(spec.headerConditions ?? []), ...(spec.payloadConditions ?? [])]) {
    if (!conditionHolds(condition, ctx)) {
      return false;
    }
  }
  if (spec.jexlCondition !== undefined && spec.jexlCondition.trim() !== '') {
    const parser = new Parser(spec.jexlCondition, 0);
    const node = parser.parseExpression();
    parser.expectEnd();
    const result = evaluate(node, ctx);
    if (typeof result !== 'boolean') {
      throw new Error(`jexlCondition did not evaluate to a boolean (got ${JSON.stringify(result)}): ${spec.jexlCondition}`);
    }
    return result;
  }
  return true;
}

function conditionHolds(condition: { key: string; operator: string; value: string }, ctx: HarnessContext): boolean {
  if (!condition.key.startsWith('<+')) {
    throw new Error(`condition key must be a <+...> expression: ${condition.key}`);
  }
  const parser = new Parser(condition.key, 0);
  const keyNode = parser.parseWrapped();
  parser.expectEnd();
  const resolved = evaluate(keyNode, ctx);
  if (resolved === null || resolved === undefined) {
    return false;
  }
  const input = toText(resolved);
  const value = condition.value;
  const list = () => value.split(',').map((s) => s.trim());
  switch (condition.operator) {
    case 'Equals':
      return input === value;
    case 'NotEquals':
      return input !== value;
    case 'In':
      return list().includes(input);
    case 'NotIn':
      return !list().includes(input);
    case 'StartsWith':
      return input.startsWith(value);
    case 'EndsWith':
      return input.endsWith(value);
    case 'Contains':
      return input.includes(value);
    case 'DoesNotContain':
      return !input.includes(value);
    case 'Regex':
      return fullMatch(value, input);
    default:
      throw new Error(`unknown trigger condition operator '${condition.operator}'`);
  }
}

/** Java `String.matches(regex)`: the whole input must match. */
function fullMatch(regex: string, input: string): boolean {
  return new RegExp(`^(?:${regex})$`).test(input);
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

// ---------------------------------------------------------------------------
// Parser for the JEXL subset

type Node =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'root'; readonly name: string }
  | { readonly kind: 'member'; readonly object: Node; readonly name: string }
  | { readonly kind: 'index'; readonly object: Node; readonly index: Node }
  | { readonly kind: 'call'; readonly object: Node; readonly name: string; readonly args: readonly Node[] }
  | { readonly kind: 'not'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly op: '==' | '!=' | '&&' | '||' | '+'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'ternary'; readonly test: Node; readonly then: Node; readonly otherwise: Node };

class Parser {
  constructor(
    private readonly text: string,
    public pos: number,
  ) {}

  /** expression := or ('?' expression ':' expression)? */
  parseExpression(): Node {
    const test = this.parseOr();
    if (this.eat('?')) {
      const then = this.parseExpression();
      this.expect(':');
      const otherwise = this.parseExpression();
      return { kind: 'ternary', test, then, otherwise };
    }
    return test;
  }

  /** `<+ expression >` as it stands in a text: what follows the `>` is not part of it. */
  parseWrapped(): Node {
    this.expect('<+');
    const node = this.parseExpression();
    this.expect('>');
    return node;
  }

  /** `<+ expression >` or another primary, with its member accesses and method calls. */
  private parsePrimary(): Node {
    this.skipSpace();
    let node: Node;
    if (this.eat('<+')) {
      node = this.parseExpression();
      this.expect('>');
    } else if (this.eat('(')) {
      node = this.parseExpression();
      this.expect(')');
    } else if (this.peek('"') || this.peek("'")) {
      node = { kind: 'literal', value: this.parseString() };
    } else {
      const num = /^\d+/.exec(this.text.slice(this.pos));
      if (num) {
        this.pos += num[0].length;
        node = { kind: 'literal', value: Number(num[0]) };
      } else {
        const name = this.parseIdentifier(false);
        if (name === 'null') {
          node = { kind: 'literal', value: null };
        } else if (name === 'true' || name === 'false') {
          node = { kind: 'literal', value: name === 'true' };
        } else {
          node = { kind: 'root', name };
        }
      }
    }
    return this.parsePostfix(node);
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) {
      this.fail('end of expression');
    }
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.eat('||')) {
      left = { kind: 'binary', op: '||', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseEquality();
    while (this.eat('&&')) {
      left = { kind: 'binary', op: '&&', left, right: this.parseEquality() };
    }
    return left;
  }

  private parseEquality(): Node {
    let left = this.parseAdditive();
    for (;;) {
      if (this.eat('==')) {
        left = { kind: 'binary', op: '==', left, right: this.parseAdditive() };
      } else if (this.eat('!=')) {
        left = { kind: 'binary', op: '!=', left, right: this.parseAdditive() };
      } else {
        return left;
      }
    }
  }

  private parseAdditive(): Node {
    let left = this.parseUnary();
    while (this.eat('+')) {
      left = { kind: 'binary', op: '+', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Node {
    this.skipSpace();
    if (this.peek('!') && !this.peek('!=')) {
      this.pos += 1;
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePostfix(start: Node): Node {
    let node = start;
    for (;;) {
      // No space before `.` / `[`, as in Harness paths.
      if (this.text[this.pos] === '.') {
        this.pos += 1;
        const name = this.parseIdentifier(true);
        if (this.text[this.pos] === '(') {
          this.pos += 1;
          const args: Node[] = [];
          if (!this.eat(')')) {
            do {
              args.push(this.parseExpression());
            } while (this.eat(','));
            this.expect(')');
          }
          node = { kind: 'call', object: node, name, args };
        } else {
          node = { kind: 'member', object: node, name };
        }
      } else if (this.text[this.pos] === '[') {
        this.pos += 1;
        const index = this.parseExpression();
        this.expect(']');
        node = { kind: 'index', object: node, index };
      } else {
        return node;
      }
    }
  }

  /** A root name, or (after `.`) a member name, which may contain `-` as payload keys do. */
  private parseIdentifier(member: boolean): string {
    const re = member ? /^[A-Za-z_$][\w$-]*/ : /^[A-Za-z_$][\w$]*/;
    const m = re.exec(this.text.slice(this.pos));
    if (!m) {
      this.fail('an identifier, literal or <+...>');
    }
    this.pos += m[0].length;
    return m[0];
  }

  private parseString(): string {
    const quote = this.text[this.pos];
    let value = '';
    let i = this.pos + 1;
    while (i < this.text.length && this.text[i] !== quote) {
      if (this.text[i] === '\\' && i + 1 < this.text.length) {
        i += 1;
      }
      value += this.text[i];
      i += 1;
    }
    if (i >= this.text.length) {
      this.fail(`closing ${quote}`);
    }
    this.pos = i + 1;
    return value;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) {
      this.pos += 1;
    }
  }

  private peek(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  private eat(token: string): boolean {
    this.skipSpace();
    if (this.peek(token)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.eat(token)) {
      this.fail(`'${token}'`);
    }
  }

  private fail(wanted: string): never {
    throw new Error(`cannot parse Harness expression: expected ${wanted} at ${this.pos} in: ${this.text}`);
  }
}

// ---------------------------------------------------------------------------
// Evaluation

function evaluate(node: Node, ctx: HarnessContext): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'root':
      throw new Error(`unsupported Harness expression: ${describe(node)}`);
    case 'member':
    case 'index':
    case 'call':
      return evaluateAccess(node, ctx);
    case 'not':
      return !asBoolean(evaluate(node.operand, ctx), '!');
    case 'ternary':
      return asBoolean(evaluate(node.test, ctx), '?:') ? evaluate(node.then, ctx) : evaluate(node.otherwise, ctx);
    case 'binary':
      return evaluateBinary(node.op, node.left, node.right, ctx);
  }
}

function evaluateBinary(op: '==' | '!=' | '&&' | '||' | '+', left: Node, right: Node, ctx: HarnessContext): unknown {
  switch (op) {
    case '&&':
      return asBoolean(evaluate(left, ctx), '&&') && asBoolean(evaluate(right, ctx), '&&');
    case '||':
      return asBoolean(evaluate(left, ctx), '||') || asBoolean(evaluate(right, ctx), '||');
    case '==':
      return looseEquals(evaluate(left, ctx), evaluate(right, ctx));
    case '!=':
      return !looseEquals(evaluate(left, ctx), evaluate(right, ctx));
    case '+': {
      const a = evaluate(left, ctx);
      const b = evaluate(right, ctx);
      if (a === null || a === undefined || b === null || b === undefined) {
        throw new Error(`'+' with a null operand in: ${describe(left)} + ${describe(right)}`);
      }
      if (typeof a === 'number' && typeof b === 'number') {
        return a + b;
      }
      return toText(a) + toText(b);
    }
  }
}

function looseEquals(a: unknown, b: unknown): boolean {
  const an = a === undefined ? null : a;
  const bn = b === undefined ? null : b;
  return an === bn;
}

function asBoolean(value: unknown, op: string): boolean {
  if (typeof value !== 'boolean') {
    throw new Error(`'${op}' needs a boolean, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Member, index and call chains: Harness references at the root, then plain access. */
function evaluateAccess(node: Node, ctx: HarnessContext): unknown {
  const chain: Node[] = [];
  let root: Node = node;
  while (root.kind === 'member' || root.kind === 'index' || root.kind === 'call') {
    chain.unshift(root);
    root = root.object;
  }
  let value: unknown;
  let rest: Node[];
  if (root.kind === 'root') {
    [value, rest] = evaluateReference(root.name, chain, ctx);
  } else {
    value = evaluate(root, ctx);
    rest = chain;
  }
  for (const step of rest) {
    value = applyStep(value, step, ctx);
  }
  return value === undefined ? null : value;
}

/** Resolves `pipeline.variables.X`, `trigger.payload...`, `trigger.header['X']`, `secrets.getValue("x")`. */
function evaluateReference(root: string, chain: Node[], ctx: HarnessContext): [unknown, Node[]] {
  const [first, second] = chain;
  if (root === 'pipeline' && isMember(first, 'variables') && second?.kind === 'member') {
    const name = second.name;
    const vars = ctx.pipelineVariables ?? {};
    if (!(name in vars)) {
      throw new Error(`pipeline variable '${name}' has no value`);
    }
    const value = vars[name];
    return [ctx.secretVariables?.includes(name) ? secretValue(value, ctx) : value, chain.slice(2)];
  }
  if (root === 'secrets' && first?.kind === 'call' && first.name === 'getValue' && first.args.length === 1) {
    const id = evaluate(first.args[0], ctx);
    if (typeof id !== 'string') {
      throw new Error('secrets.getValue needs a string identifier');
    }
    return [secretValue(id, ctx), chain.slice(1)];
  }
  if (root === 'trigger' && isMember(first, 'header') && second?.kind === 'index') {
    const name = evaluate(second.index, ctx);
    if (typeof name !== 'string') {
      throw new Error('trigger.header[...] needs a string header name');
    }
    const wanted = name.toLowerCase();
    const found = Object.entries(ctx.headers ?? {}).find(([k]) => k.toLowerCase() === wanted);
    return [found ? found[1] : null, chain.slice(2)];
  }
  if (root === 'trigger' && isMember(first, 'payload')) {
    return [ctx.payload ?? null, chain.slice(1)];
  }
  throw new Error(`unsupported Harness expression: ${describe(chain.length ? chain[chain.length - 1] : { kind: 'root', name: root })}`);
}

function isMember(node: Node | undefined, name: string): boolean {
  return node !== undefined && node.kind === 'member' && node.name === name;
}

function applyStep(value: unknown, step: Node, ctx: HarnessContext): unknown {
  if (step.kind === 'member' || step.kind === 'index') {
    const key = step.kind === 'member' ? step.name : evaluate(step.index, ctx);
    if (value === null || value === undefined || typeof value !== 'object') {
      return null;
    }
    const next = (value as Record<string, unknown>)[String(key)];
    return next === undefined ? null : next;
  }
  if (step.kind === 'call') {
    if (typeof value !== 'string') {
      throw new Error(`method ${step.name}() called on ${JSON.stringify(value)}, not a string`);
    }
    const args = step.args.map((a) => evaluate(a, ctx));
    const arg = args[0];
    if (args.length !== 1 || typeof arg !== 'string') {
      throw new Error(`method ${step.name}() needs one string argument`);
    }
    switch (step.name) {
      case 'contains':
        return value.includes(arg);
      case 'startsWith':
        return value.startsWith(arg);
      case 'endsWith':
        return value.endsWith(arg);
      case 'equals':
        return value === arg;
      case 'matches':
        return fullMatch(arg, value);
      default:
        throw new Error(`unsupported string method ${step.name}()`);
    }
  }
  throw new Error(`unexpected step ${step.kind}`);
}

function describe(node: Node): string {
  switch (node.kind) {
    case 'literal':
      return JSON.stringify(node.value);
    case 'root':
      return node.name;
    case 'member':
      return `${describe(node.object)}.${node.name}`;
    case 'index':
      return `${describe(node.object)}[${describe(node.index)}]`;
    case 'call':
      return `${describe(node.object)}.${node.name}(${node.args.map(describe).join(', ')})`;
    case 'not':
      return `!${describe(node.operand)}`;
    case 'binary':
      return `${describe(node.left)} ${node.op} ${describe(node.right)}`;
    case 'ternary':
      return `${describe(node.test)} ? ${describe(node.then)} : ${describe(node.otherwise)}`;
  }
}
