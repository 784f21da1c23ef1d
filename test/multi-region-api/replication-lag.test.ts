/**
 * Issue 18 item 4b: `replicationLagAllowance` cannot be gamed. AWS documents DynamoDB global table replication as
 * "typically within a second" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html),
 * with no upper bound: an EVENTUAL (MREC) table's RPO is unbounded whatever the allowance, and the allowance (a typical
 * figure) may not claim less than AWS's typical figure.
 */
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { buildApi } from './api-util';
import { FailoverErrors } from '../../src';
import { ApiAuthorization, MultiRegionApiProps } from '../../src/multi-region-api';

function build(overrides: Partial<MultiRegionApiProps> = {}) {
  return buildApi({ authorization: ApiAuthorization.none(), ...overrides });
}

const floorError = (got: string) => '`replicationLagAllowance` must be at least 1 s: AWS documents DynamoDB global table replication '
  + '"typically within a second" and no upper bound, so a lower figure claims less data loss than AWS does (it is the typical RPO, '
  + `never a bound), got: ${got}`;

describe('replicationLagAllowance (issue 18 item 4b)', () => {
  test('allowance 0 with recoveryObjectives.rpo 0 fails synthesis', () => {
    expect(() => build({ replicationLagAllowance: Duration.seconds(0), recoveryObjectives: { rpo: Duration.seconds(0) } }))
      .toThrow(floorError('0 s'));
  });

  test.each<[string, Duration, string]>([
    ['0 s', Duration.seconds(0), '0 s'],
    ['500 ms', Duration.millis(500), '0.5 s'],
    ['999 ms', Duration.millis(999), '0.999 s'],
  ])('an allowance below AWS\'s documented typical lag is refused: %s', (_name, lag, got) => {
    let error: unknown;
    try {
      build({ replicationLagAllowance: lag });
    } catch (e) {
      error = e;
    }
    expect(FailoverErrors.isFailoverError(error)).toBe(true);
    expect((error as Error).message).toBe(floorError(got));
  });

  test('1 s (the documented figure) and above are accepted as the typical RPO, never as a bound', () => {
    for (const seconds of [1, 3]) {
      const e = build({ replicationLagAllowance: Duration.seconds(seconds) }).recoveryEstimate;
      expect([e.rpoBounded, e.rpo, e.typicalRpo.toSeconds()]).toEqual([false, undefined, seconds]);
    }
  });

  test('with an allowance at the floor, recoveryObjectives.rpo still fails: the RPO of an EVENTUAL table is unbounded', () => {
    expect(() => build({ replicationLagAllowance: Duration.seconds(1), recoveryObjectives: { rpo: Duration.seconds(60) } })).toThrow(
      'MultiRegionApi: `recoveryObjectives.rpo` of 60 s cannot be met, the RPO is unbounded: DynamoDB global table replication is asynchronous '
      + '(multi-Region eventual consistency) (typical 1 s)');
  });

  test('STRONG (MRSC) ignores the allowance, but a value below the floor is refused all the same', () => {
    const strong: Partial<MultiRegionApiProps> = {
      regions: ['us-east-1', 'us-east-2', 'us-west-2'],
      multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG,
    };
    expect(build({ ...strong, replicationLagAllowance: Duration.seconds(5) }).recoveryEstimate.rpo?.toSeconds()).toBe(0);
    expect(() => build({ ...strong, replicationLagAllowance: Duration.seconds(0) })).toThrow(floorError('0 s'));
  });
});
