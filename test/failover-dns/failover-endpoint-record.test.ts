import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FailoverDns, FailoverEndpoint, FailoverEndpointRecord, FailoverEndpointRecordProps, FailoverRouting } from '../../src';
import { failureMessage } from '../util/errors';
import { nagErrors } from '../util/nag';

// FailoverEndpointRecord built alone, in a stack of an App: no FailoverDns above it.

const ARC = 'arn:aws:route53-recovery-control::111111111111:controlpanel/abc123/routingcontrol/def456';
const ALIAS = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'lb-1.us-east-1.elb.amazonaws.com', hostedZoneId: 'Z35SXDOTRQ7X7K' }) });

function record(props: Partial<FailoverEndpointRecordProps> = {}, region = 'us-east-1') {
  const stack = new Stack(new App(), 'Api', { env: { account: '111111111111', region } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const endpoint: FailoverEndpoint = { region, domainName: `${region}.origin.example.net` };
  const r = new FailoverEndpointRecord(stack, 'Endpoint', { zone, recordName: 'api', endpoint, priority: 0, endpointCount: 2, ...props });
  return { stack, zone, r };
}

/** Construct id: the record's type, name, failover role (or region) and target, and whether it has a DependsOn, in creation order. */
function recordsOf(r: FailoverEndpointRecord): string[] {
  const resources = Template.fromStack(Stack.of(r)).toJSON().Resources;
  return r.records.map((rec) => {
    const p = resources[Stack.of(r).getLogicalId(rec.node.defaultChild as route53.CfnRecordSet)];
    const props = p.Properties;
    const target = props.AliasTarget ? `alias ${props.AliasTarget.DNSName}` : props.ResourceRecords.join(',');
    return `${rec.node.id}: ${props.Type} ${props.Name} ${props.Failover ?? props.Region} -> ${target}${p.DependsOn ? ' (DependsOn)' : ''}`;
  });
}

describe('FailoverEndpointRecord alone', () => {
  test.each([
    [0, ['CNAMEPrimary: CNAME api.example.com. PRIMARY -> us-east-1.origin.example.net']],
    [1, [
      'CNAMEPrimary: CNAME failover-1.api.example.com. PRIMARY -> us-east-1.origin.example.net',
      'CNAMEChainSecondary: CNAME api.example.com. SECONDARY -> alias failover-1.api.example.com. (DependsOn)',
    ]],
    [2, ['CNAMESecondary: CNAME failover-1.api.example.com. SECONDARY -> us-east-1.origin.example.net']],
  ])('endpoint %i of 3: its places in the failover chain', (priority, expected) => {
    const { r } = record({ priority, endpointCount: 3 });
    expect(recordsOf(r)).toEqual(expected);
    expect(r.recordName).toBe('api.example.com');
  });

  test('latency routing: one record per type with the endpoint\'s region and health check', () => {
    const { stack, r } = record({
      routing: FailoverRouting.LATENCY,
      endpoint: { region: 'us-east-1', target: ALIAS, healthCheck: { fqdn: 'health.example.net' } },
    });
    expect(recordsOf(r)).toEqual([
      'ALatency: A api.example.com. us-east-1 -> alias lb-1.us-east-1.elb.amazonaws.com',
      'AAAALatency: AAAA api.example.com. us-east-1 -> alias lb-1.us-east-1.elb.amazonaws.com',
    ]);
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Route53::RecordSet', {
      HealthCheckId: { Ref: Match.stringLikeRegexp('EndpointHealthCheck') },
      AliasTarget: Match.objectLike({ EvaluateTargetHealth: true }),
    }, 2);
  });

  test('the health check, its alarm in us-east-1, and the recovery estimate from its settings', () => {
    const { stack, r } = record({ healthCheck: { interval: Duration.seconds(30), failureThreshold: 3, path: '/ping' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        Type: 'HTTPS', FullyQualifiedDomainName: 'us-east-1.origin.example.net', ResourcePath: '/ping', RequestInterval: 30, FailureThreshold: 3,
      }),
    });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
    expect(r.endpointHealthCheck).toBe(r.healthCheck);
    expect(r.alarm).toBeDefined();
    // 30 s × 3 failures + the 6 s HTTPS probe timeout.
    expect(r.recoveryEstimate.detection.toSeconds()).toBe(96);
  });

  test('a routing control gates the endpoint: its RECOVERY_CONTROL check AND the endpoint\'s, in a calculated check', () => {
    const { stack, r } = record({ routingControlArn: ARC });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'RECOVERY_CONTROL', RoutingControlArn: ARC } });
    template.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ Type: 'CALCULATED', HealthThreshold: 2 }) });
    expect(r.node.children.map((c) => c.node.id)).toEqual(['HealthCheck', 'RoutingControlHealthCheck', 'CombinedHealthCheck', 'HealthCheckAlarm', 'CNAMEPrimary']);
    expect(r.healthCheck).not.toBe(r.endpointHealthCheck);
  });

  test('evaluateTargetHealthOnly with a routing control: the routing control\'s check alone, Route 53\'s default settings assumed', () => {
    const { r } = record({ routingControlArn: ARC, endpoint: { region: 'us-east-1', target: ALIAS, evaluateTargetHealthOnly: true, aliasTargetTtl: Duration.seconds(60) } });
    expect(r.healthCheck).toBe(r.routingControlHealthCheck);
    expect(r.endpointHealthCheck).toBeUndefined();
    expect(r.alarm).toBeUndefined();
    // Route 53's defaults, 30 s × 3, + an HTTP(S) probe's 6 s: the library cannot see how the target's health is checked.
    expect(r.recoveryEstimate.detection.toSeconds()).toBe(96);
  });

  test('an alias target\'s TTL is recorded in the metadata of its records (not of the chain alias)', () => {
    const { r } = record({
      priority: 1,
      endpointCount: 3,
      endpoint: { region: 'us-east-1', target: ALIAS, healthCheck: { fqdn: 'health.example.net' }, aliasTargetTtl: Duration.seconds(60) },
    });
    const resources = Template.fromStack(Stack.of(r)).toJSON().Resources;
    const ttls = r.records.map((rec) => resources[Stack.of(r).getLogicalId(rec.node.defaultChild as route53.CfnRecordSet)].Metadata?.['cdk-multi-region-failover:alias-target-ttl']);
    expect(r.records.map((rec) => rec.node.id)).toEqual(['APrimary', 'AChainSecondary', 'AAAAPrimary', 'AAAAChainSecondary']);
    expect(ttls).toEqual([60, undefined, 60, undefined]);
  });

  test('warnings: `ttl` on an alias target, a TTL above 60 s, no alarm outside us-east-1', () => {
    const alias = record({ ttl: Duration.seconds(30), endpoint: { region: 'us-east-1', target: ALIAS, evaluateTargetHealthOnly: true, aliasTargetTtl: Duration.seconds(60) } });
    Annotations.fromStack(alias.stack).hasWarning('/Api/Endpoint', Match.stringLikeRegexp('`ttl` is ignored for alias targets: Route 53 answers endpoint us-east-1 with its target\'s TTL \\(`aliasTargetTtl`: 60 s\\)'));
    const long = record({ ttl: Duration.seconds(120) });
    Annotations.fromStack(long.stack).hasWarning('/Api/Endpoint', Match.stringLikeRegexp('`ttl` of 120 s on a health-checked record slows failover'));
    const west = record({}, 'us-west-2');
    expect(west.r.alarm).toBeUndefined();
    Annotations.fromStack(west.stack).hasWarning('/Api/Endpoint', Match.stringLikeRegexp('no health check alarm for endpoint us-west-2'));
  });

  test.each<[string, Partial<FailoverEndpointRecordProps>, string]>([
    ['a CNAME at the apex', { recordName: 'example.com' },
      'endpoint us-east-1: a CNAME (`domainName`) cannot be at the zone apex example.com; use an alias `target` or a record name below the apex'],
    ['aliasTargetTtl on a CNAME', { endpoint: { region: 'us-east-1', domainName: 'a.example.net', aliasTargetTtl: Duration.seconds(60) } },
      'endpoint us-east-1: `aliasTargetTtl` must not be set on a `domainName` (CNAME) endpoint, got: 60 s. A CNAME record has its own TTL: set `ttl`'],
    ['evaluateTargetHealthOnly on a CNAME', { endpoint: { region: 'us-east-1', domainName: 'a.example.net', evaluateTargetHealthOnly: true } },
      'endpoint us-east-1: `evaluateTargetHealthOnly` needs an alias `target`; a CNAME has no target health'],
    ['an alias target without a health check host', { endpoint: { region: 'us-east-1', target: ALIAS } },
      'endpoint us-east-1: `healthCheck.fqdn` is required for an alias target (the host name the health checkers call), or set `evaluateTargetHealthOnly`'],
    ['a token-free unknown region name', { endpoint: { region: 'moon-1', domainName: 'a.example.net' } },
      '`endpoints[].region` must be a concrete AWS region name, got: moon-1'],
    ['a negative priority', { priority: -1 }, '`priority` must be an integer from 0 to 1, got: -1'],
    ['no record type', { recordTypes: [], endpoint: { region: 'us-east-1', target: ALIAS, evaluateTargetHealthOnly: true } },
      '`recordTypes` needs at least one of A and AAAA, got: none'],
    ['a CNAME record type for an alias', { recordTypes: [route53.RecordType.CNAME], endpoint: { region: 'us-east-1', target: ALIAS, evaluateTargetHealthOnly: true } },
      '`recordTypes` may hold only A and AAAA for alias targets, got: CNAME'],
    ['a repeated record type', { recordTypes: [route53.RecordType.A, route53.RecordType.A], endpoint: { region: 'us-east-1', target: ALIAS, evaluateTargetHealthOnly: true } },
      '`recordTypes` must not repeat a type, got: A, A'],
    ['a health check interval Route 53 does not offer', { healthCheck: { interval: Duration.seconds(20) } },
      '`healthCheck.interval` must be 10 or 30 seconds, got: 20 s (endpoint us-east-1)'],
  ])('refuses %s', (_what, props, message) => {
    expect(failureMessage(() => record(props))).toBe(message);
  });

  test('cdk-nag: clean', () => {
    const stack = new Stack(new App(), 'Nag', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    new FailoverEndpointRecord(stack, 'Endpoint', {
      zone, recordName: 'api', priority: 1, endpointCount: 3, routingControlArn: ARC, endpoint: { region: 'us-east-1', domainName: 'a.example.net' },
    });
    expect(nagErrors(stack)).toEqual([]);
  });

  test('FailoverDns exposes its blocks: one FailoverEndpointRecord per endpoint, in priority order', () => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    const dns = new FailoverDns(stack, 'Api', {
      zone,
      recordName: 'api',
      endpoints: ['us-east-1', 'us-west-2', 'eu-west-1'].map((region) => ({ region, domainName: `${region}.origin.example.net` })),
    });
    expect(dns.endpointRecords.map((r) => r instanceof FailoverEndpointRecord && r.node.id)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(dns.endpointRecords.map((r) => r.records.length)).toEqual([1, 2, 1]);
  });
});
