import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { nagErrors } from './nag';

// The nag gate must be able to fail: an unsuppressed finding is reported, a suppressed one is not.
describe('cdk-nag gate', () => {
  test('reports an unsuppressed AwsSolutions error', () => {
    const stack = new Stack(new App(), 'Bad', { env: { account: '111111111111', region: 'us-east-1' } });
    new s3.CfnBucket(stack, 'PlainBucket');
    const errors = nagErrors(stack);
    expect(errors.some((e) => e.includes('AwsSolutions-S10'))).toBe(true);
    expect(errors.some((e) => e.includes('AwsSolutions-S1'))).toBe(true);
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
