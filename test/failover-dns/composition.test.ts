import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FailoverDns, FailoverDnsProps, FailoverEndpoint, FailoverEndpointRecord } from '../../src';
import { synthErrors } from '../util/synth';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:ops';

function setup(region = 'us-east-1', app = new App(), id = 'Dns') {
  const stack = new Stack(app, id, { env: { account: '111111111111', region } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  return { app, stack, zone };
}

function cnameEndpoints(n: number): FailoverEndpoint[] {
  return REGIONS.slice(0, n).map((region) => ({ region, domainName: `${region}.origin.example.net` }));
}

function build(props: Partial<FailoverDnsProps> = {}, region?: string) {
  const { app, stack, zone } = setup(region);
  const dns = new FailoverDns(stack, 'Api', { zone, recordName: 'api.example.com', endpoints: cnameEndpoints(2), ...props });
  return { app, stack, zone, dns };
}


describe('FailoverDns alarmTopicArns', () => {
  test('a HealthCheckStatus alarm for every endpoint (chain of 3), each notifying the us-east-1 topic on alarm and OK', () => {
    const { stack, dns } = build({ endpoints: cnameEndpoints(3), alarmTopicArns: { 'us-east-1': TOPIC } });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    for (const record of dns.endpointRecords) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'HealthCheckStatus',
        Dimensions: [{ Name: 'HealthCheckId', Value: stack.resolve(record.endpointHealthCheck!.healthCheckId) }],
        AlarmActions: [TOPIC],
        OKActions: [TOPIC],
      });
    }
  });

  test('alarmTopic and alarmTopicArns are mutually exclusive', () => {
    const { stack, zone } = setup();
    const alarmTopic = new sns.Topic(stack, 'Topic');
    expect(() => new FailoverDns(stack, 'Api', { zone, recordName: 'api', endpoints: cnameEndpoints(2), alarmTopic, alarmTopicArns: { 'us-east-1': TOPIC } }))
      .toThrow('`alarmTopic` and `alarmTopicArns` are mutually exclusive: give the us-east-1 topic in one of them, got both');
  });

  test('only a us-east-1 topic of the stack\'s account (the HealthCheckStatus metric is in us-east-1)', () => {
    const { app } = build({ alarmTopicArns: { 'eu-west-1': 'arn:aws:sns:eu-west-1:111111111111:ops', 'us-east-1': 'arn:aws:sns:us-east-1:999999999999:ops' } });
    expect(synthErrors(app)).toEqual([
      '[Dns/Api] `alarmTopicArns` has a key eu-west-1, which is none of this construct\'s alarm regions (us-east-1)',
      '[Dns/Api] `alarmTopicArns`[us-east-1] must be a topic of account 111111111111 (the stacks\' account), got: arn:aws:sns:us-east-1:999999999999:ops',
    ]);
  });

  test('outside us-east-1: no alarm and the existing warning (the metric is in us-east-1 only)', () => {
    const { stack } = build({ alarmTopicArns: { 'us-east-1': TOPIC } }, 'eu-west-1');
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    Annotations.fromStack(stack).hasWarning('/Dns/Api/us-east-1', Match.stringLikeRegexp('Route 53 publishes `HealthCheckStatus` in us-east-1 only'));
  });
});

describe('FailoverDns validation collected in one synth', () => {
  test.each([
    ['my_api!', 'my_api!.example.com', '"my_api!"'],
    ['under_score.example.com', 'under_score.example.com', '"under_score"'],
  ])('recordName %s is not a host name', (recordName, fqdn, label) => {
    const { app } = build({ recordName });
    expect(synthErrors(app)).toEqual([
      '[Dns/Api] `recordName` must be a host name because clients resolve it as a host name: labels of 1 to 63 letters, digits and hyphens, no hyphen at either end, '
      + `optionally a leading "*." wildcard (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html); invalid label ${label} in: ${fqdn}`,
    ]);
  });

  test('"@" is refused: Route 53 does not read it as the zone apex', () => {
    const { app } = build({ recordName: '@' });
    expect(synthErrors(app)).toEqual([
      '[Dns/Api] `recordName` must not use "@" for the zone apex: Route 53 does not read it as the apex (it would be a record named "\\100"); give the zone name itself, got: @.example.com',
    ]);
  });

  test('a wildcard record name is accepted', () => {
    const { app } = build({ recordName: '*.api.example.com' });
    expect(synthErrors(app)).toEqual([]);
  });

  test('TTL above 2 days is an error; above 300 s a warning', () => {
    expect(synthErrors(build({ ttl: Duration.seconds(172801) }).app)).toEqual([
      '[Dns/Api] `ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 172801 s',
    ]);
    const { stack } = build({ ttl: Duration.seconds(400) });
    Annotations.fromStack(stack).hasWarning('/Dns/Api', Match.stringLikeRegexp('`ttl` is 400 s on a health-checked failover record'));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('`ttl` of 400 s'))).toHaveLength(0);
  });

  test('unknown endpoint regions', () => {
    const { app } = build({ endpoints: [{ region: 'us-east-1', domainName: 'a.example.net' }, { region: 'us-west-9', domainName: 'b.example.net' }] });
    expect(synthErrors(app)).toEqual([
      '[Dns/Api] `endpoints[].region` holds us-west-9, which is not an AWS region (aws-cdk-lib\'s region list has no such region; '
      + 'for a region newer than your aws-cdk-lib, upgrade it or add the name to the context key "cdk-multi-region-failover:extraRegions")',
    ]);
  });

  test('one synth reports every error of the construct together', () => {
    const { app } = build({
      recordName: 'my_api!',
      ttl: Duration.seconds(200000),
      endpoints: [{ region: 'us-east-1', domainName: 'a.example.net' }, { region: 'us-west-9', domainName: 'b.example.net' }],
    });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => e.startsWith('[Dns/Api] '))).toBe(true);
    expect(errors.map((e) => e.split(' ')[1])).toEqual(['`recordName`', '`ttl`', '`endpoints[].region`']);
  });

  test('two FailoverDns claiming one record name in one zone fail synthesis, each naming the other', () => {
    const app = new App();
    for (const id of ['East', 'West']) {
      const { stack, zone } = setup('us-east-1', app, id);
      new FailoverDns(stack, 'Api', { zone, recordName: 'api', endpoints: cnameEndpoints(2) });
    }
    expect(synthErrors(app)).toEqual([
      '[East/Api] `recordName` api.example.com in hosted zone Z0123456789ABCDEFGHIJ is also claimed by West/Api: one name can belong to one construct only (give each its own name)',
      '[West/Api] `recordName` api.example.com in hosted zone Z0123456789ABCDEFGHIJ is also claimed by East/Api: one name can belong to one construct only (give each its own name)',
    ]);
  });

  test('the same name in two zones, or two names in one zone, are fine', () => {
    const app = new App();
    const { stack, zone } = setup('us-east-1', app);
    new FailoverDns(stack, 'A', { zone, recordName: 'a', endpoints: cnameEndpoints(2) });
    new FailoverDns(stack, 'B', { zone, recordName: 'b', endpoints: cnameEndpoints(2) });
    const other = route53.HostedZone.fromHostedZoneAttributes(stack, 'Other', { hostedZoneId: 'Z9999999999', zoneName: 'example.com' });
    new FailoverDns(stack, 'C', { zone: other, recordName: 'a', endpoints: cnameEndpoints(2) });
    expect(synthErrors(app)).toEqual([]);
  });
});

describe('FailoverEndpointRecord on its own checks its record name, TTL and region once', () => {
  test('across regional stacks: one error per problem (from the primary record), not one per region', () => {
    const app = new App();
    REGIONS.forEach((region, priority) => {
      const { stack, zone } = setup(region, app, `Api-${region}`);
      new FailoverEndpointRecord(stack, 'Endpoint', {
        zone,
        recordName: 'my_api!',
        ttl: Duration.days(3),
        priority,
        endpointCount: REGIONS.length,
        endpoint: { region, domainName: `${region}.origin.example.net` },
      });
    });
    expect(synthErrors(app).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual([
      '[Api-us-east-1/Endpoint] `recordName`',
      '[Api-us-east-1/Endpoint] `ttl`',
    ]);
  });

  test('an unknown region is reported by the endpoint that has it', () => {
    const { app, stack, zone } = setup();
    new FailoverEndpointRecord(stack, 'Endpoint', { zone, recordName: 'api', priority: 1, endpointCount: 2, endpoint: { region: 'us-west-9', domainName: 'b.example.net' } });
    expect(synthErrors(app)).toEqual([
      '[Dns/Endpoint] `endpoint.region` holds us-west-9, which is not an AWS region (aws-cdk-lib\'s region list has no such region; '
      + 'for a region newer than your aws-cdk-lib, upgrade it or add the name to the context key "cdk-multi-region-failover:extraRegions")',
    ]);
  });
});
