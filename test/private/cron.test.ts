/**
 * Reconcile schedules as Harness's UNIX cron triggers read them (cron-utils' UNIX crontab
 * definition, as harness-core's NGTriggerServiceImpl.validateTriggerConfig uses it, plus its
 * 5-minute minimum between two runs), and time zones as java.time.ZoneId takes them.
 */
import { checkUnixCron, isIanaTimezone } from '../../src/private/cron';
import { GitProvider, MirrorPipeline, RepoMirror, SecretRef } from '../../src';
import { newStack } from '../helpers/synth';

describe('checkUnixCron', () => {
  test.each([
    '0 * * * *',
    '*/5 * * * *',
    '*/30 * * * *',
    '0,30 * * * *',
    '15 2 * * *',
    '0 9-17 * * MON-FRI',
    '0 9-17 * * mon-fri',
    '0 0 1 JAN,JUL *',
    '0 0 * * 7',
    '0 0 * * 0',
    '5/15 * * * *',
    '0 */6 * * *',
    '0 0 1-15/7 * *',
    '55 0 * * *',
    '0,55 */2 * * *',
    '58 * * * *',
  ])('given %j, Harness accepts it', (expression) => {
    expect(() => checkUnixCron(expression)).not.toThrow();
  });

  test.each([
    ['61 25 * * *', 'minute value 61 is outside 0-59'],
    ['0 25 * * *', 'hour value 25 is outside 0-23'],
    ['0 0 0 * *', 'day of month value 0 is outside 1-31'],
    ['0 0 * 13 *', 'month value 13 is outside 1-12'],
    ['0 0 * * 8', 'day of week value 8 is outside 0-7'],
    ['0 * * *', 'has 4 fields'],
    ['0 0 * * * 2030', 'has 6 fields'],
    ['0 0 ? * *', "day of month value \"?\" is not a number"],
    ['0 0 L * *', 'day of month value "L" is not a number'],
    ['0 0 * * 5#3', 'day of week value "5#3" is not a number or a name'],
    ['*/0 * * * *', 'minute step "0" must be a whole number from 1 to 59'],
    ['*/60 * * * *', 'minute step "60" must be a whole number from 1 to 59'],
    ['0 0 * */12 *', 'month step "12" must be a whole number from 1 to 11'],
    ['0 5-1 * * *', 'hour range "5-1" runs from high to low'],
    ['0 0 * FOO *', 'month value "FOO" is not a number or a name'],
    ['* * * * *', 'runs 1 minute apart; Harness needs at least 5'],
    ['*/2 * * * *', 'runs 2 minutes apart'],
    ['0,3 * * * *', 'runs 3 minutes apart'],
    ['58,1 9,10 * * *', 'runs 3 minutes apart'],
    ['0 * * * * ; rm -rf /', 'has 9 fields'],
  ] as const)('given %j, it is refused: %s', (expression, message) => {
    expect(() => checkUnixCron(expression)).toThrow(message);
  });
});

describe('isIanaTimezone', () => {
  test.each(['Europe/Berlin', 'America/New_York', 'America/Argentina/Buenos_Aires', 'UTC', 'GMT', 'Etc/UTC', 'US/Eastern', 'Asia/Calcutta'])(
    'given %s, it is accepted',
    (tz) => {
      expect(isIanaTimezone(tz)).toBe(true);
    },
  );

  test.each(['Mars/Olympus', 'europe/berlin', 'EST', 'PST', '+05:30', 'UTC+1', '', 'Europe/Berlin '])('given %j, it is refused', (tz) => {
    expect(isIanaTimezone(tz)).toBe(false);
  });
});

describe('RepoMirror reconcile validation', () => {
  const token = SecretRef.fromIdentifier('account.token');
  const build = (reconcile: { schedule: string; timezone?: string }) => () => {
    const stack = newStack();
    const pipeline = new MirrorPipeline(stack, 'Mirror', { orgId: 'default', projectId: 'platform' });
    new RepoMirror(stack, 'Api', {
      pipeline,
      source: { url: 'https://github.com/acme/api.git', provider: GitProvider.GITHUB, token },
      target: { url: 'https://gitlab.com/acme/api.git', provider: GitProvider.GITLAB, token },
      reconcile,
    });
  };

  test('given 61 25 * * *, the error names the pair, the prop, the value and the field', () => {
    expect(build({ schedule: '61 25 * * *' })).toThrow(
      `test/Api: reconcile.schedule must be a five-field UNIX cron expression as Harness reads it, such as '0 * * * *', got "61 25 * * *": minute value 61 is outside 0-59`,
    );
  });

  test('given Mars/Olympus, the error names the pair, the prop and the value', () => {
    expect(build({ schedule: '0 * * * *', timezone: 'Mars/Olympus' })).toThrow(
      `test/Api: reconcile.timezone must be an IANA time zone such as 'Europe/Berlin' or 'UTC', got "Mars/Olympus"`,
    );
  });
});
