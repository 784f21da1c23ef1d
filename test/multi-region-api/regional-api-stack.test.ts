import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  ApiAuthorization, ApiHealthAlarmsStack, FailoverRouting, MultiRegionApi, RegionalApiStack, RegionalApiStackProps,
} from '../../src';
import { failureMessage } from '../util/errors';
import { nagErrors } from '../util/nag';
import { synthErrors } from '../util/synth';

const ACCOUNT = '111111111111';
const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com', recordName: 'api' };
const KEY = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`;
const ACL = (region: string) => `arn:aws:wafv2:${region}:${ACCOUNT}:regional/webacl/api/0123-abcd`;

/** The primary's props: a table with a replica in us-west-2, a public API. */
function primaryProps(overrides: Partial<RegionalApiStackProps> = {}): RegionalApiStackProps {
  return {
    env: { account: ACCOUNT, region: 'us-east-1' },
    ...ZONE,
    priority: 0,
    endpointCount: 2,
    replicaRegions: ['us-west-2'],
    authorization: ApiAuthorization.none(),
    ...overrides,
  };
}

/** A primary and a secondary `RegionalApiStack`, alone in an App (no MultiRegionApi). */
function pair(overrides: Partial<RegionalApiStackProps> = {}) {
  const app = new App();
  const primary = new RegionalApiStack(app, 'Primary', primaryProps(overrides));
  const secondary = new RegionalApiStack(app, 'Secondary', {
    ...primaryProps(overrides),
    env: { account: ACCOUNT, region: 'us-west-2' },
    priority: 1,
    replicaRegions: undefined,
    tableStack: primary,
  });
  return { app, primary, secondary };
}

describe('RegionalApiStack alone', () => {
  test('the primary creates the global table with its replicas, the API on its custom domain, both functions and the PRIMARY record', () => {
    const { primary } = pair();
    const t = Template.fromStack(primary);
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'api-example-com-table',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    for (const region of ['us-east-1', 'us-west-2']) {
      t.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: Match.arrayWith([Match.objectLike({ Region: region })]) });
    }
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    t.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.example.com', SecurityPolicy: 'TLS_1_2' });
    t.resourceCountIs('AWS::Lambda::Function', 2);
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ Type: 'HTTPS', ResourcePath: '/prod/health' }),
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'CNAME', Failover: 'PRIMARY', TTL: '15' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5XXError', Namespace: 'AWS/ApiGateway' });
    // In us-east-1 the health check id is a plain SSM parameter, for an ApiHealthAlarmsStack.
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cdk-multi-region-failover/api-example-com/api/us-east-1/health-check-id' });
    expect(primary.globalTable).toBeDefined();
    expect(primary.regionalApi.primary).toBe(true);
    expect(primary.regionalApi.table).toBe(primary.globalTable);
    expect(primary.regionalApi.stack).toBe(primary);
  });

  test('a secondary depends on the table stack, reaches its replica by name and holds the SECONDARY record', () => {
    const { secondary, primary } = pair();
    expect(secondary.dependencies).toEqual([primary]);
    expect(secondary.globalTable).toBeUndefined();
    expect(secondary.regionalApi.primary).toBe(false);
    const t = Template.fromStack(secondary);
    t.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Failover: 'SECONDARY' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:us-west-2:${ACCOUNT}:table/api-example-com-table`]] },
        })]),
      },
    });
    // Outside us-east-1 the id is written to us-east-1 by an SSM PutParameter call.
    t.hasResourceProperties('Custom::AWS', {
      Delete: Match.stringLikeRegexp('"action":"deleteParameter".*/api-example-com/api/us-west-2/health-check-id.*"region":"us-east-1"'),
    });
  });

  test('per-region maps: each stack reads its own region (and the primary its replicas\' keys)', () => {
    const { primary, secondary } = pair({
      tableKeyArns: { 'us-east-1': KEY('us-east-1'), 'us-west-2': KEY('us-west-2') },
      webAclArns: { 'us-east-1': ACL('us-east-1'), 'us-west-2': ACL('us-west-2') },
    });
    Template.fromStack(primary).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: Match.arrayWith([Match.objectLike({ Region: 'us-west-2', SSESpecification: { KMSMasterKeyId: KEY('us-west-2') } })]),
    });
    Template.fromStack(secondary).hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: ACL('us-west-2') });
  });

  test('alarms: false creates no 5XXError alarm and publishes no health check id; alarmTopicArn notifies a topic', () => {
    const quiet = Template.fromStack(new RegionalApiStack(new App(), 'Quiet', primaryProps({ alarms: false })));
    quiet.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    quiet.resourceCountIs('AWS::SSM::Parameter', 0);
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:ops`;
    Template.fromStack(new RegionalApiStack(new App(), 'Loud', primaryProps({ alarmTopicArn: topic })))
      .hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic] });
  });

  test('cdk-nag: the primary and the secondary are clean', () => {
    const { primary, secondary } = pair({ authorization: ApiAuthorization.cognito([`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_abcdefghi`]) });
    expect(nagErrors(primary)).toEqual([]);
    expect(nagErrors(secondary)).toEqual([]);
  });

  test.each([
    ['a region-agnostic stack', { env: undefined },
      'RegionalApiStack must be in a stack with a concrete region: set `env: { account, region }` on stack Primary, it is region-agnostic'],
    ['replicaRegions with tableStack', { tableStack: new Stack(new App(), 'Other') },
      '`replicaRegions` is for the stack that creates the table, not with `tableStack`, got: us-west-2'],
    ['its own region among the replicas', { replicaRegions: ['us-east-1'] }, '`replicaRegions` must not repeat a region, got us-east-1 twice'],
    ['no certificate for its region', { certificateArns: { 'us-west-2': `arn:aws:acm:us-west-2:${ACCOUNT}:certificate/x` } },
      '`certificateArns` needs an ARN for every region, got none for: us-east-1'],
    ['no key for a replica', { tableKeyArns: { 'us-east-1': KEY('us-east-1') } }, '`tableKeyArns` needs an ARN for every region, got none for: us-west-2'],
    ['one region with failover routing', { endpointCount: 1, replicaRegions: undefined },
      '`endpointCount` must be at least 2 with failover routing (a PRIMARY and a SECONDARY region; use `routing: FailoverRouting.LATENCY` for one region), got: 1'],
    ['a priority past the end (checked by its FailoverEndpointRecord)', { priority: 2 }, '`priority` must be an integer from 0 to 1, got: 2'],
    ['a bad namePrefix', { namePrefix: '1api' },
      '`namePrefix` must start with a letter, hold only letters, digits and "-", and be at most 88 characters (room for "-<role>-<region>" in CloudFormation\'s 128), got: 1api'],
    ['no authorization', { authorization: undefined },
      '`authorization` must be chosen explicitly: `ApiAuthorization.cognito(userPoolArns)` to require signed-in users, or `ApiAuthorization.none()` to let anyone on the internet call GET /read, POST /write, got: undefined'],
  ])('throws for %s', (_name, overrides, message) => {
    expect(failureMessage(() => new RegionalApiStack(new App(), 'Primary', primaryProps(overrides as Partial<RegionalApiStackProps>)))).toBe(message);
  });

  test.each([
    ['a web ACL of another region', { webAclArns: { 'us-east-1': ACL('us-west-2') } },
      `\`webAclArns\`[us-east-1] must be a regional AWS WAF web ACL of us-east-1 and account ${ACCOUNT} (arn:<partition>:wafv2:us-east-1:${ACCOUNT}:regional/webacl/<name>/<id>), got: ${ACL('us-west-2')}`],
    ['a topic of another region', { alarmTopicArn: `arn:aws:sns:us-west-2:${ACCOUNT}:ops` },
      `\`alarmTopicArn\`[us-east-1] must be a topic in us-east-1: a CloudWatch alarm notifies topics of its own region, got a topic in us-west-2: arn:aws:sns:us-west-2:${ACCOUNT}:ops`],
    ['a replica region AWS does not have', { replicaRegions: ['us-west-2', 'xx-west-9'] },
      '`replicaRegions` holds xx-west-9, which is not an AWS region (aws-cdk-lib\'s region list has no such region; '
      + 'for a region newer than your aws-cdk-lib, upgrade it or add the name to the context key "cdk-multi-region-failover:extraRegions")'],
    ['a TTL out of range (reported once, not again by its record)', { ttl: Duration.days(3) },
      '`ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 259200 s'],
    ['a health check path the API does not serve', { healthCheck: { path: '/health' } },
      '`healthCheck.path` must be /prod/health: the health check calls each region\'s execute-api host ({api-id}.execute-api.{region}.amazonaws.com), which serves the API only under its stage prod, '
      + 'and the health route is GET /health; a check of any other path never passes and the region never fails over (to check your own host and path, set `healthCheck.fqdn` too), got: /health'],
  ])('reports %s when it synthesizes', (_name, overrides, message) => {
    const app = new App();
    new RegionalApiStack(app, 'Primary', primaryProps(overrides as Partial<RegionalApiStackProps>));
    expect(synthErrors(app)).toEqual([`[Primary] ${message}`]);
  });

  test('latency routing, one region: a table without replicas and one latency record with the region', () => {
    const stack = new RegionalApiStack(new App(), 'Primary', primaryProps({
      routing: FailoverRouting.LATENCY, endpointCount: 1, replicaRegions: undefined, defaultRoutes: false,
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ Region: 'us-east-1' })] });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Region: 'us-east-1' });
  });
});

describe('MultiRegionApi composes its building blocks', () => {
  test('regionalApiStacks and healthAlarmsStack are the stacks it created', () => {
    const api = new MultiRegionApi(new App(), 'Api', {
      account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], ...ZONE, authorization: ApiAuthorization.none(),
    });
    expect(api.regionalApiStacks.map((s) => s instanceof RegionalApiStack)).toEqual([true, true]);
    expect(api.regionalApiStacks).toEqual(api.stacks);
    expect(api.regionalApis).toEqual(api.regionalApiStacks.map((s) => s.regionalApi));
    expect(api.table).toBe(api.regionalApiStacks[0].globalTable);
    expect(api.healthAlarmsStack).toBeInstanceOf(ApiHealthAlarmsStack);
    expect(api.healthAlarmsStack).toBe(api.alarmsStack);
    expect(api.healthCheckAlarms).toEqual(api.healthAlarmsStack!.alarms);
  });

  test('a secondary depends first on its primary, then on the stack that set API Gateway\'s account setting (the manifest keeps this order)', () => {
    const app = new App();
    const base = { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], hostedZoneId: ZONE.hostedZoneId, zoneName: ZONE.zoneName, authorization: ApiAuthorization.none() };
    const orders = new MultiRegionApi(app, 'Orders', { ...base, recordName: 'orders' });
    const payments = new MultiRegionApi(app, 'Payments', { ...base, recordName: 'payments' });
    expect(payments.stacks[0].dependencies).toEqual([orders.stacks[0]]);
    expect(payments.stacks[1].dependencies).toEqual([payments.primaryStack, orders.stacks[1]]);
  });

  test('an input error is reported once, by MultiRegionApi, not again by each regional stack', () => {
    const app = new App();
    new MultiRegionApi(app, 'Api', {
      account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], ...ZONE, authorization: ApiAuthorization.none(), ttl: Duration.days(3),
    });
    expect(synthErrors(app)).toEqual(['[Api] `ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 259200 s']);
  });
});
