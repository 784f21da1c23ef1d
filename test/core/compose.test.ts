import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { routeAlarms, validateAlarmTopicArns } from '../../src/core/alarm-topics';
import { resolveAccount } from '../../src/core/environment';
import { MultiRegionFailoverError, pascalSpelling, pythonSpelling, spelledForUser } from '../../src/core/errors';
import { prefixFromName, regionalStackName, validateStackNamePrefix } from '../../src/core/naming';
import {
  addError, claimRecordName, claimStackNames, collectedErrors, EXTRA_REGIONS_CONTEXT, validateDnsName, validateKnownRegions, validateTtl,
} from '../../src/core/validation';
import { failureMessage } from '../util/errors';
import { restoreEnvAfterEach, synthErrors } from '../util/synth';

const ACCOUNT = '111111111111';


describe('resolveAccount (item 4: Stage and App environment)', () => {
  restoreEnvAfterEach('CDK_DEFAULT_ACCOUNT');

  test('the explicit account wins; under a Stage it must be the Stage account', () => {
    const app = new App();
    expect(resolveAccount(app, ACCOUNT)).toBe(ACCOUNT);
    const stage = new Stage(app, 'Prod', { env: { account: '222222222222', region: 'us-east-1' } });
    expect(resolveAccount(stage, '222222222222')).toBe('222222222222');
    expect(failureMessage(() => resolveAccount(new Construct(stage, 'X'), ACCOUNT)))
      .toBe('`account` must be the account of the enclosing Stage Prod (222222222222) or be left out, got: 111111111111');
  });

  test('without an explicit account: the Stage account, else CDK_DEFAULT_ACCOUNT, else a clear error', () => {
    process.env.CDK_DEFAULT_ACCOUNT = '333333333333';
    const app = new App();
    const stage = new Stage(app, 'Prod', { env: { account: '222222222222' } });
    expect(resolveAccount(new Construct(stage, 'X'), undefined)).toBe('222222222222');
    // A Stage without an account inherits nothing: the CLI's account is next.
    expect(resolveAccount(new Stage(app, 'Dev'), undefined)).toBe('333333333333');
    expect(resolveAccount(app, undefined)).toBe('333333333333');
    delete process.env.CDK_DEFAULT_ACCOUNT;
    expect(failureMessage(() => resolveAccount(app, undefined))).toBe(
      '`account` is required here: set it, or create the construct in a Stage with `env: { account }`, or run the CDK CLI with credentials so that it sets CDK_DEFAULT_ACCOUNT');
    process.env.CDK_DEFAULT_ACCOUNT = 'not-an-account';
    expect(failureMessage(() => resolveAccount(app, undefined))).toBe('`CDK_DEFAULT_ACCOUNT` must be a 12-digit AWS account id, got: not-an-account');
  });
});

describe('collected validation (item 7): one synth shows every error, each under its construct path', () => {
  test('errors of several constructs are reported together', () => {
    const app = new App();
    const a = new Construct(app, 'A');
    const b = new Construct(app, 'B');
    addError(a, 'first');
    addError(a, 'second');
    addError(b, 'third');
    expect(collectedErrors(a)).toEqual(['first', 'second']);
    expect(synthErrors(app)).toEqual(['[A] first', '[A] second', '[B] third']);
  });

  test('unknown regions and mixed partitions, by aws-cdk-lib\'s region list; the context key admits a newer region', () => {
    const app = new App();
    const c = new Construct(app, 'C');
    validateKnownRegions(c, ['us-east-1', 'us-west-9', 'eu-central-3'], 'regions');
    validateKnownRegions(c, ['us-east-1', 'cn-north-1'], 'regions');
    validateKnownRegions(c, ['mx-central-1', 'ap-southeast-7', 'us-gov-west-1', 'us-gov-east-1'].slice(0, 2), 'regions');
    expect(collectedErrors(c)).toEqual([
      '`regions` holds us-west-9, which is not an AWS region (aws-cdk-lib\'s region list has no such region; for a region newer than your aws-cdk-lib, upgrade it or add the name to the context key "cdk-multi-region-failover:extraRegions")',
      '`regions` holds eu-central-3, which is not an AWS region (aws-cdk-lib\'s region list has no such region; for a region newer than your aws-cdk-lib, upgrade it or add the name to the context key "cdk-multi-region-failover:extraRegions")',
      '`regions` must be regions of one AWS partition (an account exists in one partition), got regions of: aws, aws-cn',
    ]);
    const withContext = new App({ context: { [EXTRA_REGIONS_CONTEXT]: ['us-west-9'] } });
    const d = new Construct(withContext, 'D');
    validateKnownRegions(d, ['us-east-1', 'us-west-9'], 'regions');
    expect(collectedErrors(d)).toEqual([]);
  });

  test.each([
    ['my_api!', 'invalid label "my_api!"'],
    ['api.exa mple.com', 'invalid label "exa mple"'],
    ['-api.example.com', 'invalid label "-api"'],
    [`${'a'.repeat(64)}.example.com`, `invalid label "${'a'.repeat(64)}"`],
    ['*.example.com', 'invalid label "*"'],
  ])('%s is not a host name', (name, detail) => {
    const c = new Construct(new App(), 'C');
    validateDnsName(c, name, { property: 'recordName', reason: 'it gets an ACM certificate' });
    expect(collectedErrors(c)).toEqual([
      '`recordName` must be a host name because it gets an ACM certificate: labels of 1 to 63 letters, digits and hyphens, no hyphen at either end '
      + `(https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html); ${detail} in: ${name}`,
    ]);
  });

  test('"@" is refused with the reason; host names, a trailing dot and an allowed wildcard pass', () => {
    const c = new Construct(new App(), 'C');
    validateDnsName(c, '@', { property: 'recordName', reason: 'r' });
    validateDnsName(c, `${'a.'.repeat(127)}com`, { property: 'recordName', reason: 'r' });
    expect(collectedErrors(c)).toEqual([
      '`recordName` must not use "@" for the zone apex: Route 53 does not read it as the apex (it would be a record named "\\100"); give the zone name itself, got: @',
      `\`recordName\` must be 1 to 253 characters long (Route 53 allows 255 bytes with the dots; https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html), got 257: ${'a.'.repeat(127)}com`,
    ]);
    const ok = new Construct(new App(), 'Ok');
    for (const name of ['api.example.com', 'API.Example.com.', 'x-1.eu.example.com', 'example.com']) {
      validateDnsName(ok, name, { property: 'recordName', reason: 'r' });
    }
    validateDnsName(ok, '*.example.com', { property: 'recordName', reason: 'r', allowWildcard: true });
    expect(collectedErrors(ok)).toEqual([]);
  });

  test('TTL: 0 to 172800 s; above 300 s a failover record warns', () => {
    const c = new Construct(new App(), 'C');
    validateTtl(c, Duration.seconds(0), 'ttl', { failover: true });
    validateTtl(c, Duration.days(2), 'ttl', { failover: false });
    validateTtl(c, Duration.seconds(172801), 'ttl', { failover: false });
    validateTtl(c, Duration.millis(1500), 'ttl', { failover: false });
    expect(collectedErrors(c)).toEqual([
      '`ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 172801 s',
      '`ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 1.5 s',
    ]);
    const stack = new Stack(new App(), 'S');
    const warned = new Construct(stack, 'W');
    validateTtl(warned, Duration.seconds(301), 'ttl', { failover: true });
    validateTtl(warned, Duration.seconds(300), 'ttl', { failover: true });
    validateTtl(warned, Duration.seconds(3600), 'ttl', { failover: false });
    const warnings = Annotations.fromStack(stack).findWarning('/S/W', Match.stringLikeRegexp('is 301 s on a health-checked failover record'));
    expect(warnings).toHaveLength(1);
    expect(Annotations.fromStack(stack).findWarning('/S/W', Match.stringLikeRegexp('is (300|3600) s'))).toHaveLength(0);
  });

  test('two constructs claiming one record name in one zone both fail; other zones and names do not', () => {
    const app = new App();
    const a = new Construct(app, 'A');
    const b = new Construct(app, 'B');
    const c = new Construct(app, 'C');
    claimRecordName(a, 'Z1', 'api.example.com', 'recordName');
    claimRecordName(b, 'Z1', 'API.example.com.', 'recordName');
    claimRecordName(c, 'Z2', 'api.example.com', 'recordName');
    claimRecordName(c, 'Z1', 'www.example.com', 'recordName');
    expect(synthErrors(app)).toEqual([
      '[A] `recordName` api.example.com in hosted zone Z1 is also claimed by B: one name can belong to one construct only (give each its own name)',
      '[B] `recordName` api.example.com in hosted zone Z1 is also claimed by A: one name can belong to one construct only (give each its own name)',
    ]);
  });

  test('a stack name used twice in one account and region fails, also across Stages; other regions do not', () => {
    const app = new App();
    const env = { account: ACCOUNT, region: 'us-east-1' };
    const owner = new Construct(app, 'Owner');
    const mine = new Stack(owner, 'Mine', { env, stackName: 'shop-api-us-east-1' });
    new Stack(new Stage(app, 'Prod'), 'Theirs', { env, stackName: 'shop-api-us-east-1' });
    new Stack(app, 'Elsewhere', { env: { ...env, region: 'us-west-2' }, stackName: 'shop-api-us-east-1' });
    claimStackNames(owner, [mine]);
    const errors = synthErrors(app);
    expect(errors).toEqual([
      '[Owner] stack name shop-api-us-east-1 (111111111111/us-east-1) of Owner/Mine is also the name of Prod/Theirs: CloudFormation would deploy both into one stack; set `stackNamePrefix` to tell them apart',
    ]);
  });
});

describe('naming (item 5: stable names)', () => {
  test('one scheme, <prefix>-<role>-<region>; the default prefix comes from a name, not a path', () => {
    expect(regionalStackName('shop', 'db', 'eu-west-1')).toBe('shop-db-eu-west-1');
    expect(prefixFromName('api.example.com')).toBe('api-example-com');
    expect(prefixFromName('API.Example.COM.')).toBe('api-example-com');
    expect(prefixFromName('1.example.com')).toBe('x-1-example-com');
    const long = `${'a'.repeat(100)}.example.com`;
    expect(prefixFromName(long)).toHaveLength(88);
    expect(prefixFromName(long)).not.toBe(prefixFromName(`${'a'.repeat(100)}.example.org`));
    expect(prefixFromName(long)).toBe(prefixFromName(long));
  });

  test('an explicit prefix is checked', () => {
    expect(validateStackNamePrefix('shop-prod')).toBe('shop-prod');
    expect(failureMessage(() => validateStackNamePrefix('1shop'))).toBe(
      '`stackNamePrefix` must start with a letter, hold only letters, digits and "-", and be at most 88 characters (room for "-<role>-<region>" in CloudFormation\'s 128), got: 1shop');
    expect(() => validateStackNamePrefix('a'.repeat(89))).toThrow(MultiRegionFailoverError);
  });
});

describe('alarm topics (item 3)', () => {
  test('keys must be alarm regions, ARNs topics of that region and account', () => {
    const c = new Construct(new App(), 'C');
    validateAlarmTopicArns(c, {
      'us-east-1': `arn:aws:sns:us-east-1:${ACCOUNT}:ops`,
      'us-west-2': `arn:aws:sns:us-east-1:${ACCOUNT}:ops`,
      'eu-west-1': `arn:aws:sns:eu-west-1:${ACCOUNT}:ops`,
      'ap-south-1': 'ops',
      'ca-central-1': 'arn:aws:sns:ca-central-1:222222222222:ops',
    }, ['us-east-1', 'us-west-2', 'ap-south-1', 'ca-central-1'], ACCOUNT);
    expect(collectedErrors(c)).toEqual([
      `\`alarmTopicArns\`[us-west-2] must be a topic in us-west-2: a CloudWatch alarm notifies topics of its own region, got a topic in us-east-1: arn:aws:sns:us-east-1:${ACCOUNT}:ops`,
      '`alarmTopicArns` has a key eu-west-1, which is none of this construct\'s alarm regions (us-east-1, us-west-2, ap-south-1, ca-central-1)',
      '`alarmTopicArns`[ap-south-1] must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), got: ops',
      '`alarmTopicArns`[ca-central-1] must be a topic of account 111111111111 (the stacks\' account), got: arn:aws:sns:ca-central-1:222222222222:ops',
    ]);
  });

  test('every metric and composite alarm of the scope\'s stack notifies the topic once; no topic, no action', () => {
    const stack = new Stack(new App(), 'S', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const metric = new cloudwatch.Metric({ namespace: 'N', metricName: 'M' });
    const alarm = new cloudwatch.Alarm(stack, 'A', { metric, threshold: 1, evaluationPeriods: 1 });
    new cloudwatch.CompositeAlarm(stack, 'C', { alarmRule: cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM) });
    const arn = `arn:aws:sns:us-east-1:${ACCOUNT}:ops`;
    expect(routeAlarms(stack, undefined)).toBeUndefined();
    expect(routeAlarms(stack, arn)!.topicArn).toBe(arn);
    routeAlarms(stack, arn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [arn] });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [arn] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [arn], OKActions: Match.absent() });
  });

  test('okActions: metric alarms also notify the topic on their return to OK, composite alarms do not', () => {
    const stack = new Stack(new App(), 'S', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const metric = new cloudwatch.Metric({ namespace: 'N', metricName: 'M' });
    const alarm = new cloudwatch.Alarm(stack, 'A', { metric, threshold: 1, evaluationPeriods: 1 });
    new cloudwatch.CompositeAlarm(stack, 'C', { alarmRule: cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM) });
    const arn = `arn:aws:sns:us-east-1:${ACCOUNT}:ops`;
    routeAlarms(stack, arn, { okActions: true });
    routeAlarms(stack, arn, { okActions: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [arn], OKActions: [arn] });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [arn], OKActions: Match.absent() });
  });
});

describe('errors in the user\'s spelling (item 9)', () => {
  test('Python gets snake_case props, Go and .NET PascalCase, TypeScript and Java the message as written', () => {
    const message = '`healthCheck.failureThreshold` must be 1-10, `recordMode: ApiRecordMode.ALIAS` and `alarmTopicArns`[us-east-1], not `ttl` or `MultiRegionConsistency.STRONG`';
    expect(spelledForUser(message, 'Python/3.11.4')).toBe(
      '`health_check.failure_threshold` must be 1-10, `record_mode: ApiRecordMode.ALIAS` and `alarm_topic_arns`[us-east-1], not `ttl` or `MultiRegionConsistency.STRONG`');
    expect(spelledForUser(message, 'golang/go1.22')).toBe(
      '`HealthCheck.FailureThreshold` must be 1-10, `RecordMode: ApiRecordMode.ALIAS` and `AlarmTopicArns`[us-east-1], not `Ttl` or `MultiRegionConsistency.STRONG`');
    expect(spelledForUser(message, 'Java/17.0.2')).toBe(message);
    expect(spelledForUser(message, undefined)).toBe(message);
    expect(pythonSpelling('writerDnsRecord.recordName')).toBe('writer_dns_record.record_name');
    expect(pascalSpelling('writerDnsRecord.recordName')).toBe('WriterDnsRecord.RecordName');
  });

  test('the library error reads JSII_AGENT, which jsii\'s runtimes set for the Node.js process they start', () => {
    const saved = process.env.JSII_AGENT;
    try {
      process.env.JSII_AGENT = 'Python/3.11.4';
      expect(new MultiRegionFailoverError('`failureThreshold` must be between 1 and 10, got: 0').message)
        .toBe('`failure_threshold` must be between 1 and 10, got: 0');
    } finally {
      if (saved === undefined) {
        delete process.env.JSII_AGENT;
      } else {
        process.env.JSII_AGENT = saved;
      }
    }
    expect(new MultiRegionFailoverError('`failureThreshold` must be between 1 and 10, got: 0').message)
      .toBe('`failureThreshold` must be between 1 and 10, got: 0');
  });
});
