import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { nagErrors } from './nag';
import { NagSuppressions } from '../../src/core/nag';

// The nag gate must be able to fail: an unsuppressed finding is reported, a suppressed one is not.
describe('cdk-nag gate', () => {
  test('reports an unsuppressed AwsSolutions error', () => {
    const stack = new Stack(new App(), 'Bad', { env: { account: '111111111111', region: 'us-east-1' } });
    new s3.CfnBucket(stack, 'PlainBucket');
    const errors = nagErrors(stack);
    expect(errors.some((e) => e.includes('AwsSolutions-S10'))).toBe(true);
    expect(errors.some((e) => e.includes('AwsSolutions-S1'))).toBe(true);
  });

  test('suppressions written by the library (no cdk-nag runtime dependency) are honoured by cdk-nag', () => {
    const stack = new Stack(new App(), 'Partial', { env: { account: '111111111111', region: 'us-east-1' } });
    const bucket = new s3.CfnBucket(stack, 'PlainBucket');
    NagSuppressions.addResourceSuppressions(bucket, [{ id: 'AwsSolutions-S1', reason: 'fixture: access logs are out of scope — ünïcode reason' }]);
    NagSuppressions.addResourceSuppressions(bucket, [{ id: 'AwsSolutions-S1', reason: 'fixture: access logs are out of scope — ünïcode reason' }]);
    expect(bucket.getMetadata('cdk_nag').rules_to_suppress).toHaveLength(1);
    const errors = nagErrors(stack);
    expect(errors.some((e) => e.includes('AwsSolutions-S1:'))).toBe(false);
    expect(errors.some((e) => e.includes('AwsSolutions-S10'))).toBe(true);
  });

  test('stack and path suppressions; bad suppressions are refused', () => {
    const stack = new Stack(new App(), 'ByPath', { env: { account: '111111111111', region: 'us-east-1' } });
    new s3.CfnBucket(stack, 'PlainBucket');
    NagSuppressions.addStackSuppressions(stack, [{ id: 'AwsSolutions-S1', reason: 'fixture: stack-wide suppression' }]);
    NagSuppressions.addResourceSuppressionsByPath(stack, '/ByPath/PlainBucket', [{ id: 'AwsSolutions-S10', reason: 'fixture: suppression by path' }]);
    expect(nagErrors(stack)).toEqual([]);
    expect(() => NagSuppressions.addResourceSuppressionsByPath(stack, '/ByPath/Nope', [{ id: 'X', reason: 'long enough reason' }]))
      .toThrow('nag suppression path "/ByPath/Nope" did not match any resource');
    expect(() => NagSuppressions.addStackSuppressions(stack, [{ id: 'X', reason: 'short' }])).toThrow('nag suppression X needs a reason of 10 characters or more');
    expect(() => NagSuppressions.addStackSuppressions(stack, [{ id: 'X[y]', reason: 'long enough reason' }]))
      .toThrow('nag suppression X[y]: suppress a finding with `appliesTo`, not in the id');
  });

  test('does not report findings suppressed with a reason', () => {
    const stack = new Stack(new App(), 'Suppressed', { env: { account: '111111111111', region: 'us-east-1' } });
    const bucket = new s3.CfnBucket(stack, 'PlainBucket');
    NagSuppressions.addResourceSuppressions(bucket, [
      { id: 'AwsSolutions-S1', reason: 'fixture: access logs are out of scope of this test' },
      { id: 'AwsSolutions-S10', reason: 'fixture: TLS enforcement is out of scope of this test' },
    ]);
    expect(nagErrors(stack)).toEqual([]);
  });
});
