import { App, Stack, Stage, Token } from 'aws-cdk-lib';
import { FailoverErrors, isValidRegionName } from '../../src';
import { MultiRegionFailoverError } from '../../src/core/errors';
import { isHostedZoneId, validateAccount, validateMultiRegionScope, validateRegions, validateStackRegion } from '../../src/core/regions';

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

  test('hosted zone ids: concrete, Z and up to 31 upper-case letters or digits', () => {
    expect(isHostedZoneId('Z0123456789ABCDEFGHIJ')).toBe(true);
    expect(isHostedZoneId('Z1')).toBe(true);
    for (const bad of ['', 'Z', 'z0123', 'X0123', 'Z0123-456', `Z${'A'.repeat(32)}`, Token.asString({ Ref: 'Zone' }), 12, undefined]) {
      expect(isHostedZoneId(bad)).toBe(false);
    }
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
