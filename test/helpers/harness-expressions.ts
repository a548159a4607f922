/**
 * A model of how Harness evaluates `<+...>` expressions and custom webhook trigger
 * conditions, for tests. It is a hypothesis about an external system, so every rule below
 * names the Harness source (harness-core, read in the public copies
 * `vigneswara-propelo/harness-core` and `idp-catalog-info-org/repo-harness-services`), the
 * JEXL source, or the Harness documentation it comes from. Where Harness would be more
 * lenient than a rule here, the model is the stricter one; what it does not understand it
 * refuses with an {@link UnmodelledExpressionError}, so no test passes on a guess.
 *
 * Short names of the sources cited:
 * - EEE: `980-commons/.../expression/EngineExpressionEvaluator.java`
 * - SR: `980-commons/.../text/resolver/StringReplacer.java`
 * - TEE: `pipeline-service/modules/ng-triggers/.../expressions/TriggerExpressionEvaluator.java`
 * - WTFU: `pipeline-service/modules/ng-triggers/.../utils/WebhookTriggerFilterUtils.java`
 * - CE: `970-ng-commons/.../ngtriggers/conditionchecker/ConditionEvaluator.java`
 * - NEU: `970-ng-commons/.../common/NGExpressionUtils.java`
 * - FILT: `pipeline-service/modules/ng-triggers/.../eventmapper/filters/impl/` (Payload-,
 *   Header- and JexlConditionsTriggerFilter) and `.../helpers/TriggerFilterStore.java`
 * - TF: `pipeline-service/.../ngtriggers/expressions/functors/TriggerFunctor.java` and
 *   `TriggerHeaderBindingMap.java`
 * - JEXL: commons-jexl 3.0, which harness-core pins (`project/main_maven_install.json`);
 *   `internal/Engine.java` (strict by default), `JexlArithmetic.java`, `parser/Parser.jjt`
 * - DOC-VAR: developer-hub `docs/platform/variables-and-expressions/harness-variables.md`
 * - DOC-TRG: developer-hub `docs/platform/triggers/triggers-reference.md`
 *
 * Two phases differ and are modelled apart:
 * - `trigger`: when a delivery arrives and the trigger's conditions are checked. Header names
 *   are lower-cased and only a header's first value is kept (TEE constructor:
 *   `putHeaders(key.toLowerCase(), values.get(0))`); `trigger.header` is a plain map looked
 *   up exactly (TriggerHelper `buildJsonObjectFromAmbiance`).
 * - `run`: when the pipeline runs and resolves the trigger's `inputYaml` and the steps'
 *   expressions. Headers are looked up ignoring case, all values joined with `,` (TF:
 *   `TriggerHeaderBindingMap.get`).
 */

/** The data expressions are evaluated against. */
export interface HarnessContext {
  /** Pipeline variable values after input sets and trigger inputs are applied (run phase). */
  readonly pipelineVariables?: Record<string, string>;
  /** Names of pipeline variables of type Secret: their value is a secret identifier. */
  readonly secretVariables?: readonly string[];
  /** Secret values by identifier (`account.x`, `org.x`, `x`). */
  readonly secrets?: Record<string, string>;
  /** The webhook body, parsed. */
  readonly payload?: unknown;
  /** The webhook request headers as sent (names in any case; a list for a repeated header). */
  readonly headers?: Record<string, string | readonly string[]>;
}

/** When an expression is evaluated: at trigger time (conditions) or during the run. */
export type Phase = 'trigger' | 'run';

/** Harness itself fails: at trigger time the trigger is skipped, during a run the execution fails. */
export class HarnessExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessExpressionError';
  }
}

/** The model does not know what Harness would do: the test must not rely on it. */
export class UnmodelledExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnmodelledExpressionError';
  }
}

/** A JEXL error (parse error, strict-mode null operand, unsolvable property). Never leaves this module. */
class JexlError extends Error {}

/** Deepest nesting of resolution, as in EEE (`MAX_DEPTH`, `checkDepth`). */
const MAX_DEPTH = 15;

/**
 * Words JEXL lexes as keywords or word operators in every lexer state, also right after a
 * dot, so `a.new.b` does not parse (JEXL `Parser.jjt`: `<*> TOKEN` keywords; 3.1 grammar
 * read in `jackyxinli/commons-jexl-3.1`). The list is the union of the 3.0 list quoted by
 * DOC-VAR "Reserved words" (with Harness's own `class` and `shellScriptProvisioner`), the
 * 3.1 grammar, and the current JEXL syntax reference, so the model is at least as strict as
 * any of them. `size` and `empty` are allowed after a dot only as `.size()` / `.empty()`,
 * which the model does not support either.
 */
export const JEXL_RESERVED_WORDS: ReadonlySet<string> = new Set([
  'if', 'else', 'for', 'while', 'do', 'new', 'var', 'empty', 'size', 'null', 'true', 'false', 'return', 'function',
  'break', 'continue', 'NaN', 'and', 'or', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'div', 'mod', 'not', 'in', 'this',
  'remove', 'try', 'catch', 'finally', 'throw', 'class', 'shellScriptProvisioner',
]);

// ---------------------------------------------------------------------------
// Texts with `<+...>` blocks (SR)

interface Block {
  readonly start: number;
  /** Index just past the closing `>`. */
  readonly end: number;
  /** The text between `<+` and the matching `>`. */
  readonly content: string;
}

/**
 * The outermost `<+...>` blocks of a text. SR counts `<+` openings and closes the innermost
 * at each `>`; it does not look inside quotes, so a `>` in a string literal closes a block.
 * `\>` (SR's escape) is not modelled.
 */
function outerBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('<+', i);
    if (start < 0) {
      break;
    }
    let depth = 0;
    let j = start;
    for (; j < text.length; j += 1) {
      if (text.startsWith('<+', j)) {
        depth += 1;
        j += 1;
      } else if (text[j] === '>') {
        if (text[j - 1] === '\\') {
          throw new UnmodelledExpressionError(`escaped '>' in: ${text}`);
        }
        depth -= 1;
        if (depth === 0) {
          break;
        }
      }
    }
    if (depth !== 0) {
      // SR leaves an unclosed block as text; no mapping of ours has one.
      throw new UnmodelledExpressionError(`unclosed <+ in: ${text}`);
    }
    blocks.push({ start, end: j + 1, content: text.slice(start + 2, j) });
    i = j + 1;
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// The JEXL subset

type Node =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'member'; readonly object: Node; readonly name: string }
  | { readonly kind: 'index'; readonly object: Node; readonly index: Node }
  | { readonly kind: 'call'; readonly object: Node; readonly name: string; readonly args: readonly Node[] }
  | { readonly kind: 'not'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly op: '==' | '!=' | '&&' | '||' | '+'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'ternary'; readonly test: Node; readonly then: Node; readonly otherwise: Node };

/**
 * Parses the JEXL subset the mappings may use: literals, variables, `.name`, `[index]`,
 * string method calls, `!`, `+`, `==`, `!=`, `&&`, `||`, `a?b:c`. A keyword after a dot is
 * a JEXL parse error ({@link JexlError}); any other syntax the model does not know is an
 * {@link UnmodelledExpressionError}.
 */
class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.ternary();
    this.skipSpace();
    if (this.pos !== this.text.length) {
      throw new UnmodelledExpressionError(`unexpected ${JSON.stringify(this.text.slice(this.pos))} in JEXL: ${this.text}`);
    }
    return node;
  }

  private ternary(): Node {
    const test = this.or();
    this.skipSpace();
    if (this.text[this.pos] === '?') {
      if (this.text[this.pos + 1] === ':' || this.text[this.pos + 1] === '.') {
        throw new UnmodelledExpressionError(`'?:' / '?.' in JEXL: ${this.text}`);
      }
      this.spacelessAround('?');
      this.pos += 1;
      const then = this.ternary();
      this.skipSpace();
      if (this.text[this.pos] !== ':') {
        throw new UnmodelledExpressionError(`expected ':' at ${this.pos} in JEXL: ${this.text}`);
      }
      this.spacelessAround(':');
      this.pos += 1;
      const otherwise = this.ternary();
      return { kind: 'ternary', test, then, otherwise };
    }
    return test;
  }

  /**
   * DOC-VAR "Ternary operators": "don't use spaces between the operators and values"
   * (`<+condition?IF_TRUE:IF_FALSE>` is correct, `<+condition ? IF_TRUE : IF_FALSE>` is
   * not). The source does not say what goes wrong, so the model refuses the form.
   */
  private spacelessAround(op: string): void {
    if (/\s/.test(this.text[this.pos - 1] ?? '') || /\s/.test(this.text[this.pos + 1] ?? '')) {
      throw new UnmodelledExpressionError(`space around ternary '${op}' (DOC-VAR asks for none) in: ${this.text}`);
    }
  }

  private or(): Node {
    let left = this.and();
    while (this.eat('||')) {
      left = { kind: 'binary', op: '||', left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.equality();
    while (this.eat('&&')) {
      left = { kind: 'binary', op: '&&', left, right: this.equality() };
    }
    return left;
  }

  private equality(): Node {
    let left = this.additive();
    for (;;) {
      if (this.eat('==')) {
        left = { kind: 'binary', op: '==', left, right: this.additive() };
      } else if (this.eat('!=')) {
        left = { kind: 'binary', op: '!=', left, right: this.additive() };
      } else {
        return left;
      }
    }
  }

  private additive(): Node {
    let left = this.unary();
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '+') {
        this.pos += 1;
        left = { kind: 'binary', op: '+', left, right: this.unary() };
      } else if (this.text[this.pos] === '-') {
        throw new UnmodelledExpressionError(`'-' in JEXL (subtraction, or a payload key with '-', which needs ['...']): ${this.text}`);
      } else {
        return left;
      }
    }
  }

  private unary(): Node {
    this.skipSpace();
    if (this.text[this.pos] === '!' && this.text[this.pos + 1] !== '=') {
      this.pos += 1;
      return { kind: 'not', operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private primary(): Node {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '(') {
      this.pos += 1;
      const node = this.ternary();
      if (!this.eat(')')) {
        throw new UnmodelledExpressionError(`expected ')' in JEXL: ${this.text}`);
      }
      return node;
    }
    if (c === '"' || c === "'") {
      return { kind: 'literal', value: this.string() };
    }
    const num = /^[0-9]+(?![0-9.eExXlLbBhH])/.exec(this.text.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return { kind: 'literal', value: Number(num[0]) };
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(this.text.slice(this.pos));
    if (!word) {
      throw new UnmodelledExpressionError(`unexpected ${JSON.stringify(this.text.slice(this.pos, this.pos + 10))} in JEXL: ${this.text}`);
    }
    this.pos += word[0].length;
    switch (word[0]) {
      case 'null':
        return { kind: 'literal', value: null };
      case 'true':
      case 'false':
        return { kind: 'literal', value: word[0] === 'true' };
      default:
        if (JEXL_RESERVED_WORDS.has(word[0])) {
          throw new UnmodelledExpressionError(`JEXL keyword '${word[0]}' in: ${this.text}`);
        }
        return { kind: 'variable', name: word[0] };
    }
  }

  private postfix(start: Node): Node {
    let node = start;
    for (;;) {
      // JEXL allows no space before `.` or `[` in the paths used here; the model allows none.
      const c = this.text[this.pos];
      if (c === '.') {
        this.pos += 1;
        const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(this.text.slice(this.pos));
        if (!word) {
          throw new UnmodelledExpressionError(`unexpected member name at ${this.pos} in JEXL: ${this.text}`);
        }
        this.pos += word[0].length;
        if ((word[0] === 'size' || word[0] === 'empty') && this.text[this.pos] === '(') {
          // JEXL's `SizeMethod` / `EmptyMethod`: valid, but not modelled.
          throw new UnmodelledExpressionError(`JEXL .${word[0]}() in: ${this.text}`);
        }
        if (JEXL_RESERVED_WORDS.has(word[0])) {
          // A keyword token after a dot: JEXL's `IdentifierAccess` does not parse it.
          throw new JexlError(`JEXL keyword '${word[0]}' after a dot does not parse: ${this.text}`);
        }
        if (this.text[this.pos] === '(') {
          this.pos += 1;
          const args: Node[] = [];
          if (!this.eat(')')) {
            do {
              args.push(this.ternary());
            } while (this.eat(','));
            if (!this.eat(')')) {
              throw new UnmodelledExpressionError(`expected ')' in JEXL: ${this.text}`);
            }
          }
          node = { kind: 'call', object: node, name: word[0], args };
        } else {
          node = { kind: 'member', object: node, name: word[0] };
        }
      } else if (c === '[') {
        this.pos += 1;
        const index = this.ternary();
        if (!this.eat(']')) {
          throw new UnmodelledExpressionError(`expected ']' in JEXL: ${this.text}`);
        }
        node = { kind: 'index', object: node, index };
      } else {
        return node;
      }
    }
  }

  private string(): string {
    const quote = this.text[this.pos];
    let value = '';
    let i = this.pos + 1;
    while (i < this.text.length && this.text[i] !== quote) {
      if (this.text[i] === '\\') {
        const next = this.text[i + 1];
        if (next !== quote && next !== '\\') {
          throw new UnmodelledExpressionError(`escape \\${next} in a JEXL string: ${this.text}`);
        }
        i += 1;
      }
      value += this.text[i];
      i += 1;
    }
    if (i >= this.text.length) {
      throw new JexlError(`unterminated string in: ${this.text}`);
    }
    this.pos = i + 1;
    return value;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) {
      this.pos += 1;
    }
  }

  private eat(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }
}

// ---------------------------------------------------------------------------
// Values and bindings

/** `trigger.header` at trigger time: lower-case names, first values, exact lookup. */
class TriggerTimeHeaders {
  private readonly map = new Map<string, string>();

  constructor(headers: Record<string, string | readonly string[]>) {
    for (const [name, value] of Object.entries(headers)) {
      const first = typeof value === 'string' ? value : value[0];
      if (first !== undefined) {
        this.map.set(name.toLowerCase(), first);
      }
    }
  }

  get(name: string): string | null {
    return this.map.get(name) ?? null;
  }
}

/** `trigger.header` during the run: any case, all values joined with `,` (TF `TriggerHeaderBindingMap`). */
class RunTimeHeaders {
  constructor(private readonly headers: Record<string, string | readonly string[]>) {}

  get(name: string): string | null {
    const values = Object.entries(this.headers)
      .filter(([k]) => k.toLowerCase() === name.toLowerCase())
      .flatMap(([, v]) => (typeof v === 'string' ? [v] : [...v]));
    return values.length > 0 ? values.join(',') : null;
  }
}

/** `pipeline.variables`, with Secret variables resolved to their secret's value. */
class PipelineVariables {
  constructor(private readonly ctx: HarnessContext) {}

  get(name: string): string {
    const vars = this.ctx.pipelineVariables ?? {};
    if (!(name in vars)) {
      throw new UnmodelledExpressionError(`pipeline variable '${name}' has no value`);
    }
    return this.ctx.secretVariables?.includes(name) ? secretValue(vars[name], this.ctx) : vars[name];
  }
}

/** The `secrets` functor: only `getValue("id")`. */
class Secrets {
  constructor(readonly ctx: HarnessContext) {}
}

function secretValue(id: string, ctx: HarnessContext): string {
  const secrets = ctx.secrets ?? {};
  if (!(id in secrets)) {
    throw new UnmodelledExpressionError(`secret '${id}' is not defined`);
  }
  return secrets[id];
}

interface Scope {
  readonly ctx: HarnessContext;
  readonly phase: Phase;
  /** Values of inner blocks bound as variables (EEE `EvaluateExpressionResolver`). */
  readonly bound: Map<string, unknown>;
  readonly depth: number;
}

function rootVariable(name: string, scope: Scope): unknown {
  if (scope.bound.has(name)) {
    return scope.bound.get(name);
  }
  const { ctx, phase } = scope;
  switch (name) {
    case 'trigger':
      // TEE.initialize / TriggerPayloadFunctor.bind (trigger time), TF.bind (run time): the
      // payload parsed from JSON, the headers as described above.
      return {
        payload: ctx.payload === undefined ? null : ctx.payload,
        header: phase === 'trigger' ? new TriggerTimeHeaders(ctx.headers ?? {}) : new RunTimeHeaders(ctx.headers ?? {}),
      };
    case 'pipeline':
      if (phase === 'trigger') {
        // Not bound when a trigger's conditions are checked (TEE.initialize binds `trigger`
        // and `eventPayload` only).
        throw new JexlError('undefined variable pipeline at trigger time');
      }
      return { variables: new PipelineVariables(ctx) };
    case 'secrets':
      return new Secrets(ctx);
    default:
      // Strict JEXL: an undefined variable is an error (JEXL `Interpreter.unsolvableVariable`).
      throw new JexlError(`undefined variable ${name}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Property or key access, as JEXL's uberspect does it for maps, lists and the functors above. */
function access(value: unknown, key: unknown, text: string): unknown {
  if (value === null || value === undefined) {
    // Strict JEXL: a property of null is unsolvable.
    throw new JexlError(`property ${String(key)} of null in: ${text}`);
  }
  if (value instanceof TriggerTimeHeaders || value instanceof RunTimeHeaders) {
    if (typeof key !== 'string') {
      throw new UnmodelledExpressionError(`header name must be a string in: ${text}`);
    }
    return value.get(key);
  }
  if (value instanceof PipelineVariables) {
    if (typeof key !== 'string') {
      throw new UnmodelledExpressionError(`variable name must be a string in: ${text}`);
    }
    return value.get(key);
  }
  if (Array.isArray(value)) {
    if (typeof key !== 'number') {
      throw new JexlError(`property ${String(key)} of a list in: ${text}`);
    }
    if (key < 0 || key >= value.length) {
      // `List.get` out of range throws, which JEXL reports as an error.
      throw new JexlError(`index ${key} out of range in: ${text}`);
    }
    return value[key];
  }
  if (isPlainObject(value)) {
    if (typeof key !== 'string') {
      throw new UnmodelledExpressionError(`map key ${String(key)} is not a string in: ${text}`);
    }
    // A JSON object is a `HashMap`: a missing key gives null, not an error (JEXL `MapGetExecutor`).
    return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : null;
  }
  throw new JexlError(`property ${String(key)} of a ${typeof value} in: ${text}`);
}

/** JEXL `toBoolean` in strict mode: null is a NullOperand error; only booleans are modelled. */
function asBoolean(value: unknown, text: string): boolean {
  if (value === null || value === undefined) {
    throw new JexlError(`null operand of a logical operator in: ${text}`);
  }
  if (typeof value !== 'boolean') {
    throw new UnmodelledExpressionError(`logical operator on ${typeof value} in: ${text}`);
  }
  return value;
}

/** `String.valueOf` of a value, as a text resolves it (EEE `RenderExpressionResolver`). */
function javaText(value: unknown, text: string): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  // Doubles (Java prints 1.0), maps and lists (Java's `toString`) are not modelled.
  throw new UnmodelledExpressionError(`rendering a ${Array.isArray(value) ? 'list' : typeof value} as text in: ${text}`);
}

function evaluate(node: Node, scope: Scope, text: string): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'variable':
      return rootVariable(node.name, scope);
    case 'member':
      return access(evaluate(node.object, scope, text), node.name, text);
    case 'index':
      return access(evaluate(node.object, scope, text), evaluate(node.index, scope, text), text);
    case 'call':
      return call(node, scope, text);
    case 'not':
      return !asBoolean(evaluate(node.operand, scope, text), text);
    case 'ternary':
      // Lazy in JEXL; but every nested `<+...>` was already evaluated before (see evaluateBlock).
      return asBoolean(evaluate(node.test, scope, text), text) ? evaluate(node.then, scope, text) : evaluate(node.otherwise, scope, text);
    case 'binary':
      return binary(node.op, node.left, node.right, scope, text);
  }
}

function binary(op: '==' | '!=' | '&&' | '||' | '+', left: Node, right: Node, scope: Scope, text: string): unknown {
  switch (op) {
    case '&&':
      return asBoolean(evaluate(left, scope, text), text) && asBoolean(evaluate(right, scope, text), text);
    case '||':
      return asBoolean(evaluate(left, scope, text), text) || asBoolean(evaluate(right, scope, text), text);
    case '==':
    case '!=': {
      const equal = equals(evaluate(left, scope, text), evaluate(right, scope, text), text);
      return op === '==' ? equal : !equal;
    }
    case '+': {
      const a = evaluate(left, scope, text);
      const b = evaluate(right, scope, text);
      // JexlArithmetic.add: `toString(null)` calls `controlNullOperand`, which throws in
      // strict mode; so does `null + null` (`controlNullNullOperands`).
      if (a === null || a === undefined || b === null || b === undefined) {
        throw new JexlError(`'+' with a null operand in: ${text}`);
      }
      if (typeof a === 'string' || typeof b === 'string') {
        return javaText(a, text) + javaText(b, text);
      }
      if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a + b)) {
        return a + b;
      }
      throw new UnmodelledExpressionError(`'+' on ${typeof a} and ${typeof b} in: ${text}`);
    }
  }
}

/** JEXL `==`: null equals only null; values of one type compare by value; mixed types are not modelled (JEXL coerces). */
function equals(a: unknown, b: unknown, text: string): boolean {
  const an = a === undefined ? null : a;
  const bn = b === undefined ? null : b;
  if (an === null || bn === null) {
    return an === bn;
  }
  if (typeof an !== typeof bn || typeof an === 'object') {
    throw new UnmodelledExpressionError(`'==' between ${typeof an} and ${typeof bn} in: ${text}`);
  }
  return an === bn;
}

function call(node: Extract<Node, { kind: 'call' }>, scope: Scope, text: string): unknown {
  const target = evaluate(node.object, scope, text);
  const args = node.args.map((a) => evaluate(a, scope, text));
  if (target instanceof Secrets) {
    if (node.name !== 'getValue' || args.length !== 1 || typeof args[0] !== 'string') {
      throw new UnmodelledExpressionError(`secrets.${node.name}(...) in: ${text}`);
    }
    return secretValue(args[0], target.ctx);
  }
  if (target === null || target === undefined) {
    throw new JexlError(`method ${node.name}() on null in: ${text}`);
  }
  if (typeof target !== 'string') {
    throw new UnmodelledExpressionError(`method ${node.name}() on a ${typeof target} in: ${text}`);
  }
  const [arg] = args;
  const oneString = () => {
    if (args.length !== 1 || typeof arg !== 'string') {
      throw new UnmodelledExpressionError(`${node.name}() needs one string argument in: ${text}`);
    }
    return arg;
  };
  switch (node.name) {
    case 'contains':
      return target.includes(oneString());
    case 'startsWith':
      return target.startsWith(oneString());
    case 'endsWith':
      return target.endsWith(oneString());
    case 'equals':
      return target === oneString();
    case 'toLowerCase':
    case 'toUpperCase':
      if (args.length !== 0) {
        throw new UnmodelledExpressionError(`${node.name}() takes no argument in: ${text}`);
      }
      return node.name === 'toLowerCase' ? target.toLowerCase() : target.toUpperCase();
    default:
      throw new UnmodelledExpressionError(`string method ${node.name}() in: ${text}`);
  }
}

// ---------------------------------------------------------------------------
// Blocks and texts (EEE)

/** Runs JEXL on `source`; a JexlError stays a JexlError for the caller to decide. */
function runJexl(source: string, scope: Scope): unknown {
  return evaluate(new Parser(source).parse(), scope, source);
}

/**
 * The value of one `<+...>` block (EEE `evaluateExpressionBlock`):
 * - a block without a nested `<+` is run as JEXL, and any JEXL error (a parse error such as
 *   a keyword after a dot, a null operand, an unsolvable property) gives null
 *   (EEE `evaluateCombinations` catches JexlException and returns null);
 * - a block with nested `<+...>` first evaluates every nested block, left to right, and
 *   binds each value to a generated variable (SR with `EvaluateExpressionResolver`), so both
 *   branches of a ternary are evaluated; then the JEXL is run, and an error fails the whole
 *   expression (EEE `evaluateExpressionInternal` rethrows as
 *   EngineExpressionEvaluationException) — also when a failing nested block is itself
 *   compound, whatever branch it sits in.
 * A value that is a text with `<+...>` in it is resolved again (EEE, up to `MAX_DEPTH`).
 */
function evaluateBlock(content: string, scope: Scope): unknown {
  if (scope.depth > MAX_DEPTH) {
    throw new HarnessExpressionError(`expressions nested deeper than ${MAX_DEPTH}: ${content}`);
  }
  let value: unknown;
  if (content.includes('<+')) {
    const bound = new Map(scope.bound);
    let source = '';
    let pos = 0;
    for (const block of outerBlocks(content)) {
      const name = `__harness_value_${bound.size + 1}__`;
      bound.set(name, evaluateBlock(block.content, { ...scope, bound, depth: scope.depth + 1 }));
      source += `${content.slice(pos, block.start)}${name}`;
      pos = block.end;
    }
    source += content.slice(pos);
    try {
      value = runJexl(source, { ...scope, bound });
    } catch (e) {
      if (e instanceof JexlError) {
        throw new HarnessExpressionError(`expression evaluation failed: <+${content}>: ${e.message}`);
      }
      throw e;
    }
  } else {
    try {
      value = runJexl(content, scope);
    } catch (e) {
      if (e instanceof JexlError) {
        value = null;
      } else {
        throw e;
      }
    }
  }
  if (typeof value === 'string' && value.includes('<+')) {
    return renderText(value, { ...scope, depth: scope.depth + 1 });
  }
  return value;
}

/** A text with `<+...>` blocks rendered: each block's value as text, null as `null` (RETURN_NULL_IF_UNRESOLVED). */
function renderText(text: string, scope: Scope): string {
  let out = '';
  let pos = 0;
  for (const block of outerBlocks(text)) {
    out += text.slice(pos, block.start) + javaText(evaluateBlock(block.content, scope), text);
    pos = block.end;
  }
  return out + text.slice(pos);
}

/**
 * Resolves every `<+...>` of `text` the way Harness renders a text: at run time by default
 * (a step's command and environment, a trigger's `inputYaml`), or at trigger time.
 * Throws {@link HarnessExpressionError} where Harness fails the expression.
 */
export function resolveExpressions(text: string, ctx: HarnessContext, phase: Phase = 'run'): string {
  return renderText(text, { ctx, phase, bound: new Map(), depth: 0 });
}

/**
 * Evaluates a JEXL expression with embedded `<+...>` blocks to a value, as a trigger's
 * `jexlCondition` is (EEE `evaluateExpression`): blocks bound as variables, their nulls real
 * nulls (so `== null` holds and `== "null"` does not).
 */
export function evaluateExpression(expression: string, ctx: HarnessContext, phase: Phase = 'run'): unknown {
  const wrapped = expression.trim().startsWith('<+') && outerBlocks(expression.trim())[0]?.end === expression.trim().length;
  const scope: Scope = { ctx, phase, bound: new Map(), depth: 0 };
  if (wrapped) {
    return evaluateBlock(expression.trim().slice(2, -1), scope);
  }
  return evaluateBlock(expression, scope);
}

// ---------------------------------------------------------------------------
// Trigger conditions (WTFU, CE, FILT)

/** One condition of a custom webhook trigger. */
export interface ConditionSpec {
  readonly key: string;
  readonly operator: string;
  readonly value: string;
}

/** The condition part of a custom webhook trigger's `source.spec.spec`. */
export interface TriggerConditionsSpec {
  readonly headerConditions?: readonly ConditionSpec[];
  readonly payloadConditions?: readonly ConditionSpec[];
  readonly jexlCondition?: string;
}

/** Whether a trigger starts a run for a delivery, and why not when it does not. */
export interface TriggerDecision {
  readonly fires: boolean;
  /** `conditions`: a condition did not hold; `error`: Harness hit an error and skipped the trigger. */
  readonly skippedBy?: 'conditions' | 'error';
  /** Which filter decided, and the error when there was one. */
  readonly detail?: string;
}

/**
 * WTFU `sanitiseHeaderConditionsForJexl`: every `<+trigger.header['Name']>` (or `["Name"]`)
 * written exactly so has its name lower-cased. Applied to header-condition keys and to the
 * JEXL condition, not to payload-condition keys (WTFU `checkIfPayloadConditionsMatch`).
 */
function sanitiseHeaderKeys(text: string): string {
  return text.replace(/(<\+trigger.header\[['|"])(.*?)(['|"]\]>)/g, (_m, open: string, name: string, close: string) => `${open}${name.toLowerCase()}${close}`);
}

/** What Java's `Character.isWhitespace` holds for the characters the conditions meet (space, \t \n \v \f \r, and the separators 0x1C-0x1F). */
function isJavaWhitespace(c: string): boolean {
  const code = c.charCodeAt(0);
  return c === ' ' || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
}

/** commons-lang `StringUtils.isBlank`: empty or only `Character.isWhitespace` characters. */
function isBlank(s: string): boolean {
  return [...s].every(isJavaWhitespace);
}

/**
 * A Java regular expression as JavaScript, for the subset the mappings use; anything else is
 * refused, since Java and JavaScript differ beyond it.
 */
function javaRegex(pattern: string): RegExp {
  const plain = pattern.replace(/\\[.+*?()[\]{}|^$\\/-]/g, '');
  if (!/^[A-Za-z0-9 _/.*+?()|^$:,@=%#-]*$/.test(plain) || /\(\?(?!:)/.test(plain) || /[*+?][+]/.test(pattern.replace(/\\./g, ''))) {
    throw new UnmodelledExpressionError(`regular expression outside the modelled subset: ${pattern}`);
  }
  try {
    // Pattern.DOTALL (CE `RegexOperatorEvaluator`) is JavaScript's `s`.
    return new RegExp(`^(?:${pattern})$`, 's');
  } catch (e) {
    // Pattern.compile would throw PatternSyntaxException: the trigger is skipped.
    throw new HarnessExpressionError(`invalid regular expression ${pattern}: ${(e as Error).message}`);
  }
}

/** NEU `matchesPattern`: false for an empty input, else a full match (`Matcher.matches()`). */
function fullMatch(pattern: string, input: string): boolean {
  return input !== '' && javaRegex(pattern).test(input);
}

/**
 * CE `generateAllowedValuesSet`: split on commas outside double quotes, trim each item,
 * unquote `"..."` items and unescape `""`.
 */
function allowedValues(standard: string): string[] {
  return standard
    .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((item) => item.trim())
    .map((item) => (item.length > 1 && item.startsWith('"') && item.endsWith('"') ? item.slice(1, -1).replace(/""/g, '"') : item));
}

/** CE `evaluate(input, standard, operator)` for one condition; the operator names of CE `evaluatorMap`. */
export function conditionHolds(input: string, standard: string, operator: string): boolean {
  if (isBlank(input) && isBlank(standard) && isBlank(operator)) {
    return true;
  }
  const blankStandard = isBlank(standard);
  switch (operator) {
    case 'Equals':
      return blankStandard ? isBlank(input) : standard === input;
    case 'NotEquals':
      return blankStandard ? !isBlank(input) : standard !== input;
    case 'StartsWith':
      return blankStandard || (!isBlank(input) && input.startsWith(standard));
    case 'EndsWith':
      return blankStandard || (!isBlank(input) && input.endsWith(standard));
    case 'Contains':
      return blankStandard || (!isBlank(input) && input.includes(standard));
    case 'Regex':
      return blankStandard || fullMatch(standard, input);
    case 'In':
    case 'NotIn': {
      if (blankStandard) {
        return true;
      }
      // CE `INOperatorEvaluator`: an exact item, else an item that fully matches as a regex.
      const items = allowedValues(standard);
      const isIn = items.includes(input) || items.some((item) => fullMatch(item, input));
      return operator === 'In' ? isIn : !isIn;
    }
    default:
      // CE throws InvalidArgumentsException ("Operator [...] is not supported"): the trigger is skipped.
      throw new HarnessExpressionError(`operator ${operator} is not supported`);
  }
}

/** WTFU `readFromPayload`: the key rendered at trigger time, null as `null`. */
function renderKey(key: string, ctx: HarnessContext): string {
  return resolveExpressions(key, ctx, 'trigger');
}

/**
 * Whether a custom webhook trigger starts a run for the delivery in `ctx`, as Harness
 * decides it. The filters of a custom trigger run in the order of FILT `TriggerFilterStore`:
 * payload conditions, header conditions, JEXL condition; all must hold (DOC-TRG: "Conditions
 * are cumulative"). Each filter catches any exception and skips the trigger, which the
 * decision reports as `skippedBy: 'error'`; an {@link UnmodelledExpressionError} is thrown.
 */
export function evaluateTriggerConditions(spec: TriggerConditionsSpec, ctx: HarnessContext): TriggerDecision {
  const step = (filter: string, check: () => boolean): TriggerDecision | undefined => {
    try {
      return check() ? undefined : { fires: false, skippedBy: 'conditions', detail: filter };
    } catch (e) {
      if (e instanceof HarnessExpressionError) {
        return { fires: false, skippedBy: 'error', detail: `${filter}: ${e.message}` };
      }
      throw e;
    }
  };
  const decision =
    step('payload conditions', () => (spec.payloadConditions ?? []).every((c) => conditionHolds(renderKey(c.key, ctx), c.value, c.operator))) ??
    step('header conditions', () => (spec.headerConditions ?? []).every((c) => conditionHolds(renderKey(sanitiseHeaderKeys(c.key), ctx), c.value, c.operator))) ??
    step('JEXL condition', () => {
      if (spec.jexlCondition === undefined || spec.jexlCondition.trim() === '') {
        return true;
      }
      // TEE `evaluateExpression` turns an error into the text "null"; WTFU
      // `checkIfJexlConditionsMatch` then throws unless the value is a Boolean.
      let value: unknown;
      try {
        value = evaluateExpression(sanitiseHeaderKeys(spec.jexlCondition), ctx, 'trigger');
      } catch (e) {
        if (e instanceof HarnessExpressionError) {
          value = 'null';
        } else {
          throw e;
        }
      }
      if (typeof value !== 'boolean') {
        throw new HarnessExpressionError(`jexlCondition evaluated to ${JSON.stringify(value)}, not a Boolean`);
      }
      return value;
    });
  return decision ?? { fires: true };
}

// ---------------------------------------------------------------------------
// Static checks of mapping texts

/**
 * What a mapping text does that Harness may evaluate differently from what its author
 * meant: a keyword after a dot (parses to nothing), a header name not in lower case (missed
 * at trigger time in payload-condition keys and `inputYaml`), a `+` (fails on a null
 * operand), a ternary (evaluates both branches first). Empty when the text is plain paths
 * and literal text.
 */
export function mappingProblems(text: string): string[] {
  const problems: string[] = [];
  const visit = (content: string) => {
    for (const block of outerBlocks(content)) {
      visit(block.content);
    }
    for (const m of content.matchAll(/\.([A-Za-z_$][A-Za-z0-9_$]*)/g)) {
      if (JEXL_RESERVED_WORDS.has(m[1])) {
        problems.push(`keyword '${m[1]}' after a dot`);
      }
    }
    for (const m of content.matchAll(/trigger\.header\[['"]([^'"]*)['"]\]/g)) {
      if (m[1] !== m[1].toLowerCase()) {
        problems.push(`header name '${m[1]}' not in lower case`);
      }
    }
  };
  for (const block of outerBlocks(text)) {
    visit(block.content);
    const outer = block.content.replace(/<\+[^]*?>/g, 'x').replace(/(["'])(?:\\.|(?!\1).)*\1/g, 's');
    if (outer.includes('+')) {
      problems.push("'+' in an expression");
    }
    if (outer.includes('?')) {
      problems.push('a ternary');
    }
  }
  return problems;
}
