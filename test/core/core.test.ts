import { App, Duration, Stack, Stage, Token } from 'aws-cdk-lib';
import { FailoverErrors, RecoveryModel, isValidRegionName } from '../../src';
import { MultiRegionFailoverError } from '../../src/core/errors';
import { validateAccount, validateMultiRegionScope, validateRegions, validateStackRegion } from '../../src/core/regions';

describe('region guard', () => {
  test.each(['us-east-1', 'eu-central-2', 'ap-southeast-4', 'il-central-1', 'us-gov-west-1', 'cn-northwest-1', 'us-iso-east-1', 'us-isob-east-1', 'ca-west-1', 'me-south-1'])(
    '%s is a valid region', (r) => expect(isValidRegionName(r)).toBe(true));
  test.each(['', 'us-east', 'US-EAST-1', 'us-middle-1', 'mars-1', 'useast1', 'us-east-1 '])('"%s" is not', (r) => expect(isValidRegionName(r)).toBe(false));

  test('accepts an ordered list and keeps the order (first = primary)', () => {
    expect(validateRegions(['us-west-2', 'us-east-1'])).toEqual(['us-west-2', 'us-east-1']);
  });

  test.each<[string[], object, string]>([
    [['us-east-1'], {}, '`regions` needs at least 2 regions (the first is the primary), got: 1'],
    [[], { property: 'secondaryRegions', min: 1 }, '`secondaryRegions` needs at least 1 regions (the first is the primary), got: 0'],
    [['us-east-1', 'us-west-2', 'eu-west-1'], { max: 2 }, '`regions` allows at most 2 regions, got: 3'],
    [['us-east-1', 'us-east-1'], {}, '`regions` must not repeat a region, got us-east-1 twice'],
    [['us-east-1', 'nowhere'], {}, '`regions` holds an invalid region name, got: nowhere'],
  ])('%j %j → error', (regions, options, message) => {
    expect(() => validateRegions(regions, options)).toThrow(message);
  });

  test('a token region is rejected', () => {
    expect(() => validateRegions(['us-east-1', Token.asString({ Ref: 'AWS::Region' })]))
      .toThrow(/^`regions` must hold concrete region names, not tokens or unresolved values, got: \$\{Token\[/);
  });

  test('a non-array is rejected', () => {
    expect(() => validateRegions(undefined as any)).toThrow('`regions` needs at least 2 regions (the first is the primary), got: 0');
  });

  test('account: required, concrete, 12 digits', () => {
    expect(validateAccount('111111111111')).toBe('111111111111');
    expect(() => validateAccount(undefined)).toThrow('`account` is required: multi-region constructs need an explicit 12-digit AWS account id');
    expect(() => validateAccount('1234')).toThrow('`account` must be a 12-digit AWS account id, got: 1234');
    expect(() => validateAccount(Token.asString({ Ref: 'AWS::AccountId' }))).toThrow(/^`account` must be a concrete 12-digit AWS account id, got a token/);
  });

  test('stacks must have a concrete region', () => {
    const app = new App();
    expect(validateStackRegion(new Stack(app, 'R', { env: { region: 'eu-west-1' } }), 'x')).toBe('eu-west-1');
    expect(() => validateStackRegion(new Stack(app, 'Agnostic'), 'FailoverDns'))
      .toThrow('FailoverDns must be in a stack with a concrete region: set `env: { account, region }` on stack Agnostic, it is region-agnostic');
  });

  test('multi-region constructs live under an App or a Stage, not in a Stack', () => {
    const app = new App();
    expect(() => validateMultiRegionScope(app, 'MultiRegionApi')).not.toThrow();
    expect(() => validateMultiRegionScope(new Stage(app, 'Prod'), 'MultiRegionApi')).not.toThrow();
    const stack = new Stack(app, 'S');
    expect(() => validateMultiRegionScope(stack, 'MultiRegionApi'))
      .toThrow('MultiRegionApi creates one Stack per region and must be created under an App or a Stage, not inside the Stack S');
    const inStage = new Stack(new Stage(app, 'Beta'), 'Inner');
    expect(() => validateMultiRegionScope(inStage, 'X')).toThrow('X creates one Stack per region and must be created under an App or a Stage, not inside the Stack Beta/Inner');
  });
});

describe('errors', () => {
  test('library errors are recognisable in every language', () => {
    const e = new MultiRegionFailoverError('`x` must be y, got: z');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(MultiRegionFailoverError);
    expect(e.name).toBe('MultiRegionFailoverError');
    expect(FailoverErrors.isFailoverError(e)).toBe(true);
    expect(FailoverErrors.isFailoverError(new Error('other'))).toBe(false);
    expect(FailoverErrors.isFailoverError(null)).toBe(false);
    expect(FailoverErrors.isFailoverError('text')).toBe(false);
  });
});

describe('recovery model', () => {
  test('estimate sums terms and explains each', () => {
    const e = RecoveryModel.estimate({
      summary: 'Test',
      detection: [{ label: 'a', duration: Duration.seconds(3) }, { label: 'b', duration: Duration.millis(500) }],
      propagation: [{ label: 'c', duration: Duration.minutes(2) }],
      rpo: Duration.seconds(1),
    });
    expect(e.detection.toMilliseconds()).toBe(3500);
    expect(e.propagation.toSeconds()).toBe(120);
    expect(e.rto.toMilliseconds()).toBe(123500);
    expect(e.rpo.toSeconds()).toBe(1);
    expect(e.explanation).toBe('Test: RTO 2 min 3.5 s = a 3 s + b 0.5 s + c 2 min; RPO 1 s');
  });

  test('format', () => {
    expect(RecoveryModel.format(Duration.seconds(40))).toBe('40 s');
    expect(RecoveryModel.format(Duration.seconds(120))).toBe('2 min');
    expect(RecoveryModel.format(Duration.seconds(185))).toBe('3 min 5 s');
  });

  test('dnsFailover: interval × threshold + aggregation + TTL, or the 60 s alias TTL', () => {
    expect(RecoveryModel.dnsFailover({ interval: Duration.seconds(10), failureThreshold: 2, ttl: Duration.seconds(15) }).rto.toSeconds()).toBe(40);
    expect(RecoveryModel.dnsFailover({ interval: Duration.seconds(30), failureThreshold: 3 }).rto.toSeconds()).toBe(155);
    const withExtra = RecoveryModel.dnsFailover({
      interval: Duration.seconds(10),
      failureThreshold: 1,
      ttl: Duration.seconds(5),
      rpo: Duration.seconds(2),
      extra: [{ label: 'promotion', duration: Duration.seconds(60) }],
      summary: 'DB',
    });
    expect(withExtra.rto.toSeconds()).toBe(80);
    expect(withExtra.rpo.toSeconds()).toBe(2);
    expect(withExtra.explanation).toBe('DB: RTO 80 s = health checks (10 s × 1) 10 s + checker aggregation 5 s + DNS TTL 5 s + promotion 60 s; RPO 2 s');
  });

  test.each<[object, string]>([
    [{ interval: Duration.seconds(20), failureThreshold: 2 }, '`interval` must be 10 or 30 seconds, got: 20 s'],
    [{ interval: Duration.seconds(10), failureThreshold: 0 }, '`failureThreshold` must be between 1 and 10, got: 0'],
    [{ interval: Duration.seconds(10), failureThreshold: 2.5 }, '`failureThreshold` must be between 1 and 10, got: 2.5'],
  ])('dnsFailover rejects %j', (input, message) => {
    expect(() => RecoveryModel.dnsFailover(input as any)).toThrow(message);
  });

  test('unresolved and negative durations are rejected', () => {
    const token = Duration.seconds(Token.asNumber({ Ref: 'P' }));
    expect(() => RecoveryModel.estimate({ summary: 's', detection: [{ label: 'x', duration: token }], propagation: [] }))
      .toThrow('`x` must be a concrete duration, got a token');
    expect(() => RecoveryModel.estimate({ summary: 's', detection: [{ label: 'x', duration: Duration.seconds(NaN) }], propagation: [] }))
      .toThrow('`x` must be a finite, non-negative duration, got: NaN s');
    expect(() => RecoveryModel.enforce('C', RecoveryModel.estimate({ summary: 's', detection: [], propagation: [] }), { rto: token }))
      .toThrow('`recoveryObjectives.rto` must be a concrete duration, got a token');
  });

  test('enforce: names the objective, the estimate and the settings to change', () => {
    const estimate = RecoveryModel.estimate({ summary: 'S', detection: [{ label: 'd', duration: Duration.seconds(30) }], propagation: [], rpo: Duration.seconds(5) });
    expect(() => RecoveryModel.enforce('C', estimate, undefined)).not.toThrow();
    expect(() => RecoveryModel.enforce('C', estimate, {})).not.toThrow();
    expect(() => RecoveryModel.enforce('C', estimate, { rto: Duration.seconds(30), rpo: Duration.seconds(5) })).not.toThrow();
    expect(() => RecoveryModel.enforce('C', estimate, { rto: Duration.seconds(29) }, ['`a`', '`b`']))
      .toThrow('C: `recoveryObjectives.rto` of 29 s cannot be met, the estimated RTO is 30 s (S: RTO 30 s = d 30 s; RPO 5 s); lower `a`, `b`');
    expect(() => RecoveryModel.enforce('C', estimate, { rpo: Duration.seconds(1) }, [], ['`lag`']))
      .toThrow('C: `recoveryObjectives.rpo` of 1 s cannot be met, the estimated RPO is 5 s (S: RTO 30 s = d 30 s; RPO 5 s); lower `lag`');
    expect(() => RecoveryModel.enforce('C', estimate, { rpo: Duration.seconds(1) }))
      .toThrow('C: `recoveryObjectives.rpo` of 1 s cannot be met, the estimated RPO is 5 s (S: RTO 30 s = d 30 s; RPO 5 s)');
  });
});
