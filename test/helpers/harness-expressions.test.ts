/**
 * The expression model's own rules, one test per rule, each naming its source (the short
 * names are explained in harness-expressions.ts).
 */
import {
  conditionHolds,
  evaluateExpression,
  evaluateTriggerConditions,
  HarnessContext,
  HarnessExpressionError,
  mappingProblems,
  resolveExpressions,
  UnmodelledExpressionError,
} from './harness-expressions';

const ctx: HarnessContext = {
  pipelineVariables: { reference: 'refs/heads/main', sourceToken: 'account.gh_token' },
  secretVariables: ['sourceToken'],
  secrets: { 'account.gh_token': 's3cr3t' },
  headers: { 'X-Gitea-Event': 'push', 'Content-Type': 'application/json', 'X-Multi': ['a', 'b'] },
  payload: {
    ref: 'refs/heads/main',
    before: 'abc',
    created: true,
    count: 3,
    changes: [{ new: { name: 'feature/x', type: 'branch' }, old: null, closed: false }],
    'odd-key': { value: 1 },
    nested: 'refs/heads/<+trigger.payload.before>',
  },
};

describe('texts: paths and rendering (EEE RenderExpressionResolver, SR)', () => {
  test.each([
    ['<+pipeline.variables.reference>', 'refs/heads/main'],
    ['token=<+pipeline.variables.sourceToken>', 'token=s3cr3t'],
    ['<+secrets.getValue("account.gh_token")>', 's3cr3t'],
    ["<+trigger.payload.changes[0]['new'].name>", 'feature/x'],
    ["refs/heads/<+trigger.payload.changes[0]['new'].name>", 'refs/heads/feature/x'],
    ["<+trigger.payload['odd-key'].value>", '1'],
    ['<+trigger.payload.created>', 'true'],
    ['<+trigger.payload.count>', '3'],
    ['a <+trigger.payload.before>.b <+trigger.payload.ref>', 'a abc.b refs/heads/main'],
    ['no expressions: a < b > c', 'no expressions: a < b > c'],
  ])('given %s, it renders %s', (text, expected) => {
    expect(resolveExpressions(text, ctx)).toBe(expected);
  });

  test.each([
    ['a missing key', '<+trigger.payload.missing>'],
    ['a path through null', '<+trigger.payload.changes[0].old.name>'],
    ['an index out of range', '<+trigger.payload.changes[5].old>'],
    ['a keyword after a dot, though the field exists (JEXL Parser.jjt)', '<+trigger.payload.changes[0].new.name>'],
    ['`size` after a dot', '<+trigger.payload.changes.size.x>'],
    ['a null operand of + in a block without nested blocks', '<+trigger.payload.missing + "x">'],
    ['pipeline variables at trigger time are unbound', '<+pipeline.variables.reference>'],
  ])('given %s, a block without nested blocks renders as the text null (EEE evaluateCombinations)', (_what, text) => {
    const phase = text.includes('pipeline.') ? 'trigger' : 'run';
    expect(resolveExpressions(text, ctx, phase)).toBe('null');
  });

  test('given a value that is itself a text with an expression, it is resolved again (EEE, up to MAX_DEPTH)', () => {
    expect(resolveExpressions('<+trigger.payload.nested>', ctx)).toBe('refs/heads/abc');
  });

  test.each([
    ['<+pipeline.variables.unknown>', "pipeline variable 'unknown' has no value"],
    ['<+secrets.getValue("nope")>', "secret 'nope' is not defined"],
    ['<+trigger.payload.changes>', 'rendering a list as text'],
    ['<+trigger.payload.odd-key.value>', "'-' in JEXL"],
    ['<+trigger.payload.ref.toLowerCase().size()>', 'JEXL .size()'],
  ])('given %s, the model refuses it rather than guess', (text, message) => {
    const run = () => resolveExpressions(text, ctx);
    expect(run).toThrow(UnmodelledExpressionError);
    expect(run).toThrow(message);
  });
});

describe('nested blocks: eager, and failing as a whole (EEE evaluateExpressionBlock / evaluateExpressionInternal)', () => {
  test.each([
    ['<+<+trigger.payload.ref>=="refs/heads/main"?"yes":"no">', 'yes'],
    ['<+"refs/tags/"+<+trigger.payload.before>>', 'refs/tags/abc'],
    ['<+<+trigger.payload.missing>==null?"gone":"here">', 'gone'],
    ['<+<+trigger.payload.ref>.startsWith("refs/heads/")>', 'true'],
  ])('given %s, it renders %s', (text, expected) => {
    expect(resolveExpressions(text, ctx)).toBe(expected);
  });

  test('given + with a null nested block, the whole expression fails', () => {
    expect(() => resolveExpressions('<+"refs/heads/"+<+trigger.payload.missing>>', ctx)).toThrow(HarnessExpressionError);
  });

  test('given a failing compound block in the ternary branch not taken, the whole expression still fails', () => {
    const text = '<+<+trigger.payload.ref>=="refs/heads/main"?"taken":<+"x"+<+trigger.payload.missing>>>';
    expect(() => resolveExpressions(text, ctx)).toThrow(HarnessExpressionError);
  });

  test('given a failing simple block in the branch not taken, it is null there and the expression works', () => {
    expect(resolveExpressions('<+<+trigger.payload.ref>=="refs/heads/main"?"taken":<+trigger.payload.a.new.b>>', ctx)).toBe('taken');
  });

  test.each([
    ['<+<+trigger.payload.ref> == "refs/heads/main" ? "yes" : "no">'],
    ['<+<+trigger.payload.ref>=="refs/heads/main" ?"yes":"no">'],
  ])('given a ternary with spaces around ? or : (DOC-VAR asks for none), the model refuses %s', (text) => {
    expect(() => resolveExpressions(text, ctx)).toThrow(UnmodelledExpressionError);
  });

  test('given a JEXL condition, nested nulls are real nulls: == null holds and == "null" does not', () => {
    expect(evaluateExpression('<+trigger.payload.missing> == null', ctx)).toBe(true);
    expect(evaluateExpression('<+trigger.payload.missing> == "null"', ctx)).toBe(false);
  });
});

describe('headers: lower case at trigger time, any case during the run (TEE, WTFU, TF)', () => {
  test('at trigger time the header map has lower-case names, looked up exactly', () => {
    expect(resolveExpressions("<+trigger.header['x-gitea-event']>", ctx, 'trigger')).toBe('push');
    expect(resolveExpressions("<+trigger.header['X-Gitea-Event']>", ctx, 'trigger')).toBe('null');
  });

  test('during the run a header is found in any case, all its values joined with commas', () => {
    expect(resolveExpressions("<+trigger.header['X-GITEA-EVENT']>", ctx, 'run')).toBe('push');
    expect(resolveExpressions("<+trigger.header['x-multi']>", ctx, 'run')).toBe('a,b');
    expect(resolveExpressions("<+trigger.header['x-multi']>", ctx, 'trigger')).toBe('a');
  });

  test('a mixed-case header in a header-condition key or the JEXL condition is lower-cased for the user; in a payload-condition key it is not', () => {
    const condition = { key: "<+trigger.header['X-Gitea-Event']>", operator: 'Equals', value: 'push' };
    expect(evaluateTriggerConditions({ headerConditions: [condition] }, ctx)).toEqual({ fires: true });
    expect(evaluateTriggerConditions({ jexlCondition: "<+trigger.header['X-Gitea-Event']> == \"push\"" }, ctx)).toEqual({ fires: true });
    expect(evaluateTriggerConditions({ payloadConditions: [condition] }, ctx)).toEqual({ fires: false, skippedBy: 'conditions', detail: 'payload conditions' });
  });
});

describe('trigger conditions (CE, FILT)', () => {
  test.each([
    // input, standard, operator, holds
    ['push', 'push', 'Equals', true],
    ['push', 'Push', 'Equals', false],
    ['', '', 'Equals', true],
    ['x', '', 'Equals', false],
    ['null', 'x', 'NotEquals', true],
    ['refs/heads/a', 'refs/', 'StartsWith', true],
    ['', 'refs/', 'StartsWith', false],
    ['anything', '', 'StartsWith', true],
    ['refs/heads/a', '/a', 'EndsWith', true],
    ['refs/heads/a', 'heads', 'Contains', true],
    ['refs/heads/main', '^(?:refs/heads/.*)$', 'Regex', true],
    ['xrefs/heads/main', 'refs/heads/.*', 'Regex', false],
    ['refs/heads/a\nb', 'refs/heads/.*', 'Regex', true],
    ['', '.*', 'Regex', false],
    ['Tag Push Hook', 'Push Hook, Tag Push Hook', 'In', true],
    ['push', ' push ,tag_push', 'In', true],
    ['a,b', '"a,b", c', 'In', true],
    ['release/1', 'main, release/.*', 'In', true],
    ['main', 'main, release/.*', 'NotIn', false],
    ['null', 'push, delete', 'In', false],
  ] as const)('given input %j, value %j and %s, the condition holds: %s', (input, standard, operator, holds) => {
    expect(conditionHolds(input, standard, operator)).toBe(holds);
  });

  test('given an operator CE does not have (DoesNotContain), Harness errors and skips the trigger', () => {
    const spec = { payloadConditions: [{ key: '<+trigger.payload.ref>', operator: 'DoesNotContain', value: 'x' }] };
    expect(evaluateTriggerConditions(spec, ctx)).toEqual({ fires: false, skippedBy: 'error', detail: 'payload conditions: operator DoesNotContain is not supported' });
  });

  test('given a condition key whose compound expression fails, the trigger is skipped by the error', () => {
    const spec = { payloadConditions: [{ key: '<+"refs/heads/"+<+trigger.payload.missing>>', operator: 'StartsWith', value: 'refs/' }] };
    expect(evaluateTriggerConditions(spec, ctx).skippedBy).toBe('error');
  });

  test('given a JEXL condition that is not a Boolean, the trigger is skipped by the error', () => {
    expect(evaluateTriggerConditions({ jexlCondition: '<+trigger.payload.ref>' }, ctx).skippedBy).toBe('error');
  });

  test('given a missing payload field and Regex .*, the condition holds on the text null: a filter must test what it means', () => {
    const spec = { payloadConditions: [{ key: '<+trigger.payload.missing>', operator: 'Regex', value: '.*' }] };
    expect(evaluateTriggerConditions(spec, ctx)).toEqual({ fires: true });
  });

  test('given a regular expression outside the modelled subset, the model refuses it', () => {
    expect(() => conditionHolds('a', '[a-z]+', 'Regex')).toThrow(UnmodelledExpressionError);
  });
});

describe('mappingProblems', () => {
  test.each([
    ['<+trigger.payload.ref>', []],
    ["refs/heads/<+trigger.payload.push.changes[0]['new'].name>", []],
    ['<+trigger.payload.push.changes[0].new.name>', ["keyword 'new' after a dot"]],
    ["<+trigger.header['X-GitHub-Event']>", ["header name 'X-GitHub-Event' not in lower case"]],
    ['<+"refs/heads/"+<+trigger.payload.ref>>', ["'+' in an expression"]],
    ['<+<+trigger.payload.a>=="b"?"c":"d">', ['a ternary']],
  ] as const)('given %s, it finds %j', (text, problems) => {
    expect(mappingProblems(text)).toEqual(problems);
  });
});
