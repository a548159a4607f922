import { evaluateExpression, evaluateTriggerConditions, HarnessContext, resolveExpressions } from './harness-expressions';

const ctx: HarnessContext = {
  pipelineVariables: { reference: 'refs/heads/main', sourceToken: 'account.gh_token' },
  secretVariables: ['sourceToken'],
  secrets: { 'account.gh_token': 's3cr3t' },
  headers: { 'x-github-event': 'push', 'Content-Type': 'application/json' },
  payload: {
    ref: 'refs/heads/main',
    before: 'abc',
    changes: [{ new: null, old: { name: 'feature/x', type: 'branch' } }],
    'odd-key': { value: 1 },
  },
};

describe('resolveExpressions: references', () => {
  test.each([
    ['<+pipeline.variables.reference>', 'refs/heads/main'],
    ['token=<+pipeline.variables.sourceToken>', 'token=s3cr3t'],
    ['<+secrets.getValue("account.gh_token")>', 's3cr3t'],
    ["<+trigger.header['X-GitHub-Event']>", 'push'],
    ["<+trigger.header['X-Missing']>", 'null'],
    ['<+trigger.payload.changes[0].old.name>', 'feature/x'],
    ['<+trigger.payload.changes[0].new.name>', 'null'],
    ["<+trigger.payload['odd-key'].value>", '1'],
    ['<+trigger.payload.odd-key.value>', '1'],
    ['<+trigger.payload.changes[0].old>', '{"name":"feature/x","type":"branch"}'],
    ['a <+trigger.payload.before>.b <+trigger.payload.ref>', 'a abc.b refs/heads/main'],
    ['no expressions: a < b > c', 'no expressions: a < b > c'],
  ])('given %s, it resolves to %s', (text, expected) => {
    expect(resolveExpressions(text, ctx)).toBe(expected);
  });

  test.each([
    ['<+pipeline.variables.unknown>', "pipeline variable 'unknown' has no value"],
    ['<+secrets.getValue("nope")>', "secret 'nope' is not defined"],
    ['<+stage.name>', 'unsupported Harness expression: stage.name'],
    ['<+trigger.payload.ref', "expected '>'"],
  ])('given %s, it throws', (text, message) => {
    expect(() => resolveExpressions(text, ctx)).toThrow(message);
  });
});

describe('resolveExpressions: the JEXL subset', () => {
  test.each([
    ['<+<+trigger.payload.ref> == "refs/heads/main" ? "yes" : "no">', 'yes'],
    ['<+<+trigger.payload.ref> != "refs/heads/main" ? "yes" : "no">', 'no'],
    ['<+"refs/tags/" + <+trigger.payload.before>>', 'refs/tags/abc'],
    ["<+'single' + \"double\">", 'singledouble'],
    ['<+<+trigger.payload.changes[0].new.name> == null ? "gone" : "here">', 'gone'],
    [
      '<+<+trigger.payload.changes[0].new.name> == null ? (<+trigger.payload.changes[0].old.type> == "branch" ? "refs/heads/" : "refs/tags/") + <+trigger.payload.changes[0].old.name> : "x">',
      'refs/heads/feature/x',
    ],
    ['<+trigger.payload.changes[0].new.name == null && trigger.payload.ref == "refs/heads/main">', 'true'],
    ['<+!(1 == 2) || false>', 'true'],
    ['<+true ? "a" : false ? "b" : "c">', 'a'],
    ['<+false ? "a" : false ? "b" : "c">', 'c'],
    ['<+<+trigger.payload.ref>.startsWith("refs/heads/")>', 'true'],
    ['<+<+trigger.payload.ref>.matches("refs/heads")>', 'false'],
    ['<+<+trigger.payload.ref>.matches("refs/heads/.*")>', 'true'],
  ])('given %s, it resolves to %s', (text, expected) => {
    expect(resolveExpressions(text, ctx)).toBe(expected);
  });

  test.each([
    ['<+"refs/heads/" + <+trigger.payload.changes[0].new.name>>', "'+' with a null operand"],
    ['<+<+trigger.payload.ref> ? "a" : "b">', "'?:' needs a boolean"],
    ['<+<+trigger.payload.missing>.contains("x")>', 'method contains() called on null'],
    ['<+<+trigger.payload.ref> == >', 'cannot parse Harness expression'],
  ])('given %s, it throws', (text, message) => {
    expect(() => resolveExpressions(text, ctx)).toThrow(message);
  });

  test('evaluateExpression returns the value, not its text', () => {
    expect(evaluateExpression('trigger.payload.changes[0].old', ctx)).toEqual({ name: 'feature/x', type: 'branch' });
    expect(evaluateExpression('trigger.payload.nothing', ctx)).toBeNull();
    expect(evaluateExpression('<+trigger.payload.ref> == "refs/heads/main"', ctx)).toBe(true);
  });
});

describe('evaluateTriggerConditions', () => {
  const cond = (key: string, operator: string, value: string) => ({ payloadConditions: [{ key, operator, value }] });
  const REF = '<+trigger.payload.ref>';

  test.each([
    ['Equals', 'refs/heads/main', true],
    ['Equals', 'refs/heads/Main', false],
    ['NotEquals', 'refs/heads/dev', true],
    ['NotEquals', 'refs/heads/main', false],
    ['In', 'refs/tags/x,  refs/heads/main ', true],
    ['In', 'refs/heads/mai, refs/heads/main2', false],
    ['NotIn', 'refs/tags/x, refs/heads/dev', true],
    ['NotIn', 'refs/heads/main', false],
    ['StartsWith', 'refs/', true],
    ['StartsWith', 'heads', false],
    ['EndsWith', '/main', true],
    ['EndsWith', 'refs', false],
    ['Contains', 'heads', true],
    ['Contains', 'tags', false],
    ['DoesNotContain', 'tags', true],
    ['DoesNotContain', 'heads', false],
    ['Regex', 'refs/heads/.*', true],
    ['Regex', '^refs/heads/m.in$', true],
    // Java matches(): the whole value must match.
    ['Regex', 'heads', false],
    ['Regex', 'refs/heads', false],
  ])('given ref refs/heads/main, %s %j holds: %s', (operator, value, holds) => {
    expect(evaluateTriggerConditions(cond(REF, operator, value), ctx)).toBe(holds);
  });

  test.each(['Equals', 'NotEquals', 'In', 'NotIn', 'Contains', 'DoesNotContain', 'Regex'])(
    'given a missing field, %s fails',
    (operator) => {
      expect(evaluateTriggerConditions(cond('<+trigger.payload.missing>', operator, 'x'), ctx)).toBe(false);
    },
  );

  test('given header, payload and JEXL conditions, all must hold', () => {
    const spec = {
      headerConditions: [{ key: "<+trigger.header['X-GitHub-Event']>", operator: 'Equals', value: 'push' }],
      payloadConditions: [{ key: REF, operator: 'StartsWith', value: 'refs/' }],
      jexlCondition: '<+trigger.payload.before> == "abc"',
    };
    expect(evaluateTriggerConditions(spec, ctx)).toBe(true);
    expect(evaluateTriggerConditions({ ...spec, jexlCondition: '<+trigger.payload.before> == "xyz"' }, ctx)).toBe(false);
    expect(
      evaluateTriggerConditions({ ...spec, headerConditions: [{ key: "<+trigger.header['X-GitHub-Event']>", operator: 'Equals', value: 'ping' }] }, ctx),
    ).toBe(false);
    expect(evaluateTriggerConditions({}, ctx)).toBe(true);
  });

  test('given a JEXL condition that is not boolean, it throws', () => {
    expect(() => evaluateTriggerConditions({ jexlCondition: '<+trigger.payload.ref>' }, ctx)).toThrow('did not evaluate to a boolean');
  });

  test('given a condition key that is not an expression, it throws', () => {
    expect(() => evaluateTriggerConditions(cond('trigger.payload.ref', 'Equals', 'x'), ctx)).toThrow('must be a <+...> expression');
  });

  test('given an unknown operator, it throws', () => {
    expect(() => evaluateTriggerConditions(cond(REF, 'Matches', 'x'), ctx)).toThrow("unknown trigger condition operator 'Matches'");
  });
});
