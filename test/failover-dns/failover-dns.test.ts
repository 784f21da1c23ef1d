import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  FailoverDns, FailoverDnsProps, FailoverEndpoint, FailoverEndpointRecord, FailoverErrors, FailoverRouting, HealthCheckProtocol,
} from '../../src';
import { nagErrors } from '../util/nag';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];

function setup(region = 'us-east-1') {
  const app = new App();
  const stack = new Stack(app, 'Dns', { env: { account: '111111111111', region } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  return { app, stack, zone };
}

function cnameEndpoints(n: number): FailoverEndpoint[] {
  return REGIONS.slice(0, n).map((region) => ({ region, domainName: `${region}.origin.example.net` }));
}

function build(props: Partial<FailoverDnsProps> = {}, region?: string) {
  const { stack, zone } = setup(region);
  const dns = new FailoverDns(stack, 'Api', { zone, recordName: 'api.example.com', endpoints: cnameEndpoints(2), ...props });
  return { stack, zone, dns };
}

interface Rec {
  Name: string;
  Type: string;
  Failover?: string;
  SetIdentifier: string;
  HealthCheckId?: unknown;
  AliasTarget?: any;
  ResourceRecords?: string[];
  TTL?: string;
  Region?: string;
}
function records(stack: Stack): Rec[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet')).map((r: any) => r.Properties);
}

/** Follows the failover graph as Route 53 would with every endpoint in `healthy` healthy: returns the answer. */
function resolve(recs: Rec[], name: string, type: string, healthy: Set<string>): string | undefined {
  const at = recs.filter((r) => r.Name === `${name}.` && r.Type === type);
  const primary = at.find((r) => r.Failover === 'PRIMARY');
  const secondary = at.find((r) => r.Failover === 'SECONDARY');
  const isHealthy = (r: Rec): boolean => r.AliasTarget
    ? resolve(recs, String(r.AliasTarget.DNSName).replace(/\.$/, ''), type, healthy) !== undefined
    : healthy.has(r.SetIdentifier);
  const answer = (r: Rec) => r.AliasTarget ? resolve(recs, String(r.AliasTarget.DNSName).replace(/\.$/, ''), type, healthy) : r.ResourceRecords![0];
  if (primary && isHealthy(primary)) return answer(primary);
  if (secondary && isHealthy(secondary)) return answer(secondary);
  return undefined;
}

describe('FailoverDns record graph', () => {
  test('two CNAME endpoints: one PRIMARY with a health check, one SECONDARY, TTL 15 s', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Route53::HealthCheck', 2);
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.',
      Type: 'CNAME',
      Failover: 'PRIMARY',
      SetIdentifier: 'us-east-1',
      HealthCheckId: Match.objectLike({ Ref: Match.anyValue() }),
      ResourceRecords: ['us-east-1.origin.example.net'],
      TTL: '15',
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.',
      Type: 'CNAME',
      Failover: 'SECONDARY',
      SetIdentifier: 'us-west-2',
      ResourceRecords: ['us-west-2.origin.example.net'],
      TTL: '15',
    });
    expect(records(stack)).toHaveLength(2);
  });

  test('health checks default to HTTPS /health every 10 s, threshold 2, SNI on', () => {
    const { stack } = build();
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS',
        FullyQualifiedDomainName: 'us-east-1.origin.example.net',
        Port: 443,
        ResourcePath: '/health',
        RequestInterval: 10,
        FailureThreshold: 2,
        EnableSNI: true,
        MeasureLatency: false,
        Inverted: false,
      },
    });
  });

  test.each([3, 5])('a chain of %i endpoints: one PRIMARY and one SECONDARY per level, first healthy endpoint answers', (n) => {
    const { stack } = build({ endpoints: cnameEndpoints(n) });
    const recs = records(stack);
    const names = [...new Set(recs.map((r) => r.Name))];
    expect(names).toHaveLength(n - 1);
    for (const name of names) {
      const at = recs.filter((r) => r.Name === name);
      expect(at.filter((r) => r.Failover === 'PRIMARY')).toHaveLength(1);
      expect(at.filter((r) => r.Failover === 'SECONDARY')).toHaveLength(1);
      expect(at.find((r) => r.Failover === 'PRIMARY')!.HealthCheckId).toBeDefined();
    }
    // Levels refer to each other by name, with EvaluateTargetHealth.
    const chain = recs.filter((r) => r.AliasTarget);
    expect(chain).toHaveLength(n - 2);
    for (const c of chain) {
      expect(c.AliasTarget).toEqual({ DNSName: expect.stringMatching(/^failover-\d\.api\.example\.com\.$/), HostedZoneId: 'Z0123456789ABCDEFGHIJ', EvaluateTargetHealth: true });
    }
    const regions = REGIONS.slice(0, n);
    // With endpoints 0..k-1 down, endpoint k answers.
    for (let k = 0; k < n; k++) {
      const healthy = new Set(regions.slice(k));
      expect(resolve(recs, 'api.example.com', 'CNAME', healthy)).toBe(`${regions[k]}.origin.example.net`);
    }
    // Only the last is down: the primary still answers.
    expect(resolve(recs, 'api.example.com', 'CNAME', new Set(regions.slice(0, n - 1)))).toBe(`${regions[0]}.origin.example.net`);
  });

  test('chain level names are deterministic and configurable', () => {
    expect(FailoverEndpointRecord.chainLevelName('api.example.com', 0)).toBe('api.example.com');
    expect(FailoverEndpointRecord.chainLevelName('api.example.com.', 2)).toBe('failover-2.api.example.com');
    const { stack } = build({ endpoints: cnameEndpoints(3), chainLabelPrefix: 'lvl' });
    expect(records(stack).map((r) => r.Name)).toContain('lvl1.api.example.com.');
  });

  test('alias targets: A and AAAA pairs with EvaluateTargetHealth, no TTL', () => {
    const { stack, zone } = setup();
    const target = (name: string) => route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: name, hostedZoneId: 'Z2FDTNDATAQYW2' }) });
    new FailoverDns(stack, 'Site', {
      zone,
      recordName: 'example.com',
      endpoints: [
        { region: 'us-east-1', target: target('d-1.execute-api.us-east-1.amazonaws.com'), healthCheck: { fqdn: 'api-1.example.net' } },
        { region: 'us-west-2', target: target('d-2.execute-api.us-west-2.amazonaws.com'), healthCheck: { fqdn: 'api-2.example.net' } },
      ],
    });
    const recs = records(stack);
    expect(recs).toHaveLength(4);
    for (const type of ['A', 'AAAA']) {
      const at = recs.filter((r) => r.Type === type);
      expect(at.map((r) => r.Failover).sort()).toEqual(['PRIMARY', 'SECONDARY']);
      for (const r of at) {
        expect(r.AliasTarget.EvaluateTargetHealth).toBe(true);
        expect(r.TTL).toBeUndefined();
        expect(r.HealthCheckId).toBeDefined();
      }
    }
  });

  test('recordTypes restricts alias records to A only', () => {
    const { stack, zone } = setup();
    const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'x.example.net', hostedZoneId: 'Z2' }) });
    new FailoverDns(stack, 'Site', {
      zone,
      recordName: 'www',
      recordTypes: [route53.RecordType.A],
      endpoints: [
        { region: 'us-east-1', target, evaluateTargetHealthOnly: true },
        { region: 'us-west-2', target, evaluateTargetHealthOnly: true },
      ],
    });
    const recs = records(stack);
    expect(recs.map((r) => r.Type)).toEqual(['A', 'A']);
    expect(recs.every((r) => r.Name === 'www.example.com.')).toBe(true);
    Template.fromStack(stack).resourceCountIs('AWS::Route53::HealthCheck', 0);
  });

  test('latency mode: one health-checked latency record per region', () => {
    const { stack } = build({ routing: FailoverRouting.LATENCY, endpoints: cnameEndpoints(3) });
    const recs = records(stack);
    expect(recs).toHaveLength(3);
    expect(recs.map((r) => r.Region)).toEqual(REGIONS.slice(0, 3));
    for (const r of recs) {
      expect(r.Name).toBe('api.example.com.');
      expect(r.Failover).toBeUndefined();
      expect(r.SetIdentifier).toBe(r.Region);
      expect(r.HealthCheckId).toBeDefined();
    }
  });

  test('per-endpoint health check overrides, string match, checker regions, latency measurement', () => {
    const { stack } = build({
      healthCheck: { path: '/ready', interval: Duration.seconds(30), failureThreshold: 3 },
      endpoints: [
        { region: 'us-east-1', domainName: 'a.example.net', healthCheck: { searchString: '"status":"ok"', regions: ['us-east-1', 'us-west-1', 'eu-west-1'], measureLatency: true } },
        { region: 'us-west-2', domainName: 'b.example.net', healthCheck: { protocol: HealthCheckProtocol.HTTP, port: 8080 } },
      ],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS_STR_MATCH',
        SearchString: '"status":"ok"',
        ResourcePath: '/ready',
        RequestInterval: 30,
        FailureThreshold: 3,
        Regions: ['us-east-1', 'us-west-1', 'eu-west-1'],
        MeasureLatency: true,
      },
    });
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'HTTP', Port: 8080, FullyQualifiedDomainName: 'b.example.net', EnableSNI: Match.absent() },
    });
  });

  test('TCP health checks have no path', () => {
    const { stack } = build({ healthCheck: { protocol: HealthCheckProtocol.TCP } });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'TCP', Port: 80, ResourcePath: Match.absent() },
    });
  });

  test('an existing health check is used as is', () => {
    const { stack, zone } = setup();
    const existing = route53.HealthCheck.fromHealthCheckId(stack, 'Existing', 'abcdef01-2345-6789-abcd-ef0123456789');
    const dns = new FailoverDns(stack, 'Api', {
      zone,
      recordName: 'api.example.com',
      endpoints: [{ region: 'us-east-1', domainName: 'a.example.net', existingHealthCheck: existing }, { region: 'us-west-2', domainName: 'b.example.net' }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', HealthCheckId: 'abcdef01-2345-6789-abcd-ef0123456789' });
    Template.fromStack(stack).resourceCountIs('AWS::Route53::HealthCheck', 1);
    // Unknown settings: Route 53's defaults (30 s × 3) and an HTTP(S) probe timeout (6 s) are assumed.
    expect(dns.endpointRecord('us-east-1').recoveryEstimate.detection.toSeconds()).toBe(96);
  });
});

describe('FailoverDns alarms and metrics', () => {
  test('one HealthCheckStatus alarm per health check, notifying the topic on alarm and OK', () => {
    const { stack } = setup();
    const topic = new sns.Topic(stack, 'Topic');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Z2', { hostedZoneId: 'Z1', zoneName: 'example.com' });
    new FailoverDns(stack, 'Api', { zone, recordName: 'api', endpoints: cnameEndpoints(2), alarmTopic: topic });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      Period: 60,
      Dimensions: [{ Name: 'HealthCheckId', Value: { Ref: Match.stringLikeRegexp('useast1HealthCheck') } }],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
  });

  test('no alarms outside us-east-1, with a warning', () => {
    const { stack } = build({}, 'eu-west-1');
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    Annotations.fromStack(stack).hasWarning('/Dns/Api/us-east-1', Match.stringLikeRegexp('Route 53 publishes `HealthCheckStatus` in us-east-1 only'));
  });

  test('alarms: false creates none', () => {
    const { stack } = build({ alarms: false });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('metricHealthCheckStatus points at the endpoint health check in us-east-1', () => {
    const { stack, dns } = build();
    const metric = dns.metricHealthCheckStatus('us-west-2');
    expect(metric.namespace).toBe('AWS/Route53');
    expect(metric.metricName).toBe('HealthCheckStatus');
    expect(metric.region).toBe('us-east-1');
    expect(stack.resolve(metric.dimensions!.HealthCheckId)).toEqual({ Ref: expect.stringMatching(/uswest2HealthCheck/) });
    expect(() => dns.metricHealthCheckStatus('eu-west-1')).toThrow('no endpoint for region eu-west-1, got: us-east-1, us-west-2');
  });

  test('an endpoint without health check has no metric', () => {
    const { stack, zone } = setup();
    const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'x.example.net', hostedZoneId: 'Z2' }) });
    const dns = new FailoverDns(stack, 'Site', {
      zone,
      recordName: 'www',
      endpoints: [{ region: 'us-east-1', target, evaluateTargetHealthOnly: true }, { region: 'us-west-2', target, evaluateTargetHealthOnly: true }],
    });
    expect(() => dns.metricHealthCheckStatus('us-east-1')).toThrow('endpoint us-east-1 has no health check (`evaluateTargetHealthOnly`), so it has no `HealthCheckStatus` metric');
  });
});

describe('FailoverDns bad input', () => {
  const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'x.example.net', hostedZoneId: 'Z2' }) });
  test.each<[string, Partial<FailoverDnsProps>, string]>([
    ['fewer than 2 endpoints', { endpoints: cnameEndpoints(1) }, '`endpoints` needs at least 2 endpoints (the first is the primary), got: 1'],
    ['the same region twice', { endpoints: [...cnameEndpoints(2), { region: 'us-east-1', domainName: 'x.example.net' }] }, '`endpoints` must not repeat a region, got us-east-1 twice'],
    ['failureThreshold 0', { healthCheck: { failureThreshold: 0 } }, '`failureThreshold` must be between 1 and 10, got: 0 (endpoint us-east-1)'],
    ['failureThreshold 11', { healthCheck: { failureThreshold: 11 } }, '`failureThreshold` must be between 1 and 10, got: 11 (endpoint us-east-1)'],
    ['interval 15 s', { healthCheck: { interval: Duration.seconds(15) } }, '`healthCheck.interval` must be 10 or 30 seconds, got: 15 s (endpoint us-east-1)'],
    ['a long search string', { healthCheck: { searchString: 'x'.repeat(256) } }, '`healthCheck.searchString` must be at most 255 characters, got: 256 (endpoint us-east-1)'],
    ['CNAME at the apex', { recordName: 'example.com' }, 'endpoint us-east-1: a CNAME (`domainName`) cannot be at the zone apex example.com; use an alias `target` or a record name below the apex'],
    ['a name outside the zone', { recordName: 'api.example.org' }, '`recordName` must be inside the hosted zone example.com, got: api.example.org'],
    ['an invalid region label', { endpoints: [{ region: 'mars-1', domainName: 'a.example.net' }, ...cnameEndpoints(1)] }, '`endpoints[].region` must be a concrete AWS region name, got: mars-1'],
    ['neither target nor domain name', { endpoints: [{ region: 'us-east-1' }, ...cnameEndpoints(2).slice(1)] }, 'endpoint us-east-1 needs exactly one of `domainName` (CNAME) and `target` (alias), got: neither'],
    ['both target and domain name', { endpoints: [{ region: 'us-east-1', domainName: 'a', target }, ...cnameEndpoints(2).slice(1)] }, 'endpoint us-east-1 needs exactly one of `domainName` (CNAME) and `target` (alias), got: both'],
    ['a mix of alias and CNAME', { endpoints: [{ region: 'us-east-1', target, evaluateTargetHealthOnly: true }, ...cnameEndpoints(2).slice(1)] }, '`endpoints` must be all alias targets (`target`) or all domain names (`domainName`), got a mix: a name cannot hold both a CNAME and A/AAAA records'],
    ['an alias without health check host', { endpoints: [{ region: 'us-east-1', target }, { region: 'us-west-2', target }] }, 'endpoint us-east-1: `healthCheck.fqdn` is required for an alias target (the host name the health checkers call), or set `evaluateTargetHealthOnly`'],
    ['evaluateTargetHealthOnly on a CNAME', { endpoints: [{ region: 'us-east-1', domainName: 'a', evaluateTargetHealthOnly: true }, ...cnameEndpoints(2).slice(1)] }, 'endpoint us-east-1: `evaluateTargetHealthOnly` needs an alias `target`; a CNAME has no target health'],
    ['TCP with a path', { healthCheck: { protocol: HealthCheckProtocol.TCP, path: '/x' } }, '`healthCheck.path` and `healthCheck.searchString` do not apply to TCP health checks (endpoint us-east-1)'],
    ['a bad port', { healthCheck: { port: 70000 } }, '`healthCheck.port` must be between 1 and 65535, got: 70000 (endpoint us-east-1)'],
    ['two checker regions', { healthCheck: { regions: ['us-east-1', 'us-west-1'] } }, '`healthCheck.regions` needs at least 3 checker regions, got: 2 (endpoint us-east-1)'],
    ['a relative path', { healthCheck: { path: 'health' } }, '`healthCheck.path` must start with "/", got: health (endpoint us-east-1)'],
  ])('%s', (_name, props, message) => {
    let error: unknown;
    try {
      build(props);
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined();
    expect((error as Error).message).toBe(message);
    expect(FailoverErrors.isFailoverError(error)).toBe(true);
  });

  test('record types: CNAME is not an alias type, no repeats, not empty', () => {
    const { stack, zone } = setup();
    const endpoints = [{ region: 'us-east-1', target, evaluateTargetHealthOnly: true }, { region: 'us-west-2', target, evaluateTargetHealthOnly: true }];
    expect(() => new FailoverDns(stack, 'A', { zone, recordName: 'a', endpoints, recordTypes: [route53.RecordType.CNAME] }))
      .toThrow('`recordTypes` may hold only A and AAAA for alias targets, got: CNAME');
    expect(() => new FailoverDns(stack, 'B', { zone, recordName: 'b', endpoints, recordTypes: [route53.RecordType.A, route53.RecordType.A] }))
      .toThrow('`recordTypes` must not repeat a type, got: A, A');
    expect(() => new FailoverDns(stack, 'C', { zone, recordName: 'c', endpoints, recordTypes: [] }))
      .toThrow('`recordTypes` needs at least one of A and AAAA, got: none');
  });

  test('TTL on alias records is a warning, a TTL above 60 s on CNAMEs too', () => {
    const { stack, zone } = setup();
    new FailoverDns(stack, 'Alias', {
      zone,
      recordName: 'www',
      ttl: Duration.seconds(30),
      endpoints: [{ region: 'us-east-1', target, evaluateTargetHealthOnly: true }, { region: 'us-west-2', target, evaluateTargetHealthOnly: true }],
    });
    new FailoverDns(stack, 'Long', { zone, recordName: 'api', ttl: Duration.seconds(300), endpoints: cnameEndpoints(2) });
    const a = Annotations.fromStack(stack);
    a.hasWarning('/Dns/Alias/us-east-1', Match.stringLikeRegexp('`ttl` is ignored for alias targets'));
    a.hasWarning('/Dns/Long/us-east-1', Match.stringLikeRegexp('`ttl` of 300 s on a health-checked record slows failover'));
  });

  test('priority must be within the endpoint count', () => {
    const { stack, zone } = setup();
    expect(() => new FailoverEndpointRecord(stack, 'R', { zone, recordName: 'api', endpoint: cnameEndpoints(1)[0], priority: 2, endpointCount: 2 }))
      .toThrow('`priority` must be an integer from 0 to 1, got: 2');
  });

  test('FailoverEndpointRecord checks its own endpoint (FailoverDns checks the list first)', () => {
    const { stack, zone } = setup();
    const alias = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'x.example.net', hostedZoneId: 'Z2' }) });
    const existingHealthCheck = route53.HealthCheck.fromHealthCheckId(stack, 'Hc', 'abcdef01-2345-6789-abcd-ef0123456789');
    const record = (id: string, endpoint: FailoverEndpoint, recordName = 'api') =>
      () => new FailoverEndpointRecord(stack, id, { zone, recordName, endpoint, priority: 0, endpointCount: 2 });
    expect(record('A', { region: 'us-east-1' })).toThrow('endpoint us-east-1 needs exactly one of `domainName` (CNAME) and `target` (alias), got: neither');
    expect(record('B', { region: 'us-east-1', domainName: 'a.example.net', target: alias }))
      .toThrow('endpoint us-east-1 needs exactly one of `domainName` (CNAME) and `target` (alias), got: both');
    expect(record('C', { region: 'us-east-1', target: route53.RecordTarget.fromValues('a.example.net') }))
      .toThrow('endpoint us-east-1: `target` must be an alias target (RecordTarget.fromAlias); for a host name use `domainName`');
    expect(record('D', { region: 'us-east-1', target: alias, existingHealthCheck, evaluateTargetHealthOnly: true }))
      .toThrow('endpoint us-east-1: `existingHealthCheck` and `evaluateTargetHealthOnly` are mutually exclusive');
    expect(record('E', { region: 'us-east-1', domainName: 'a.example.net' }, Token.asString({ Ref: 'Name' })))
      .toThrow(/^`recordName` and the zone name must be concrete strings, got: \$\{Token\[/);
  });

  test('the stack the records live in', () => {
    const { stack, dns } = build();
    expect(dns.stack).toBe(stack);
  });
});

describe('FailoverEndpointRecord across regional stacks', () => {
  test('each regional stack owns its endpoint records; no stack references another', () => {
    const app = new App();
    const regions = REGIONS.slice(0, 3);
    const stacks = regions.map((region, priority) => {
      const stack = new Stack(app, `Api-${region}`, { env: { account: '111111111111', region } });
      const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
      new FailoverEndpointRecord(stack, 'Endpoint', {
        zone,
        recordName: 'api.example.com',
        priority,
        endpointCount: regions.length,
        endpoint: { region, domainName: `${region}.origin.example.net` },
      });
      return stack;
    });
    const all: Rec[] = [];
    for (const stack of stacks) {
      const json = JSON.stringify(Template.fromStack(stack).toJSON());
      expect(json).not.toContain('Fn::ImportValue');
      all.push(...records(stack));
    }
    for (let k = 0; k < regions.length; k++) {
      expect(resolve(all, 'api.example.com', 'CNAME', new Set(regions.slice(k)))).toBe(`${regions[k]}.origin.example.net`);
    }
    expect(records(stacks[0]).map((r) => r.Failover)).toEqual(['PRIMARY']);
    expect(records(stacks[1]).map((r) => `${r.Name} ${r.Failover}`).sort()).toEqual(['api.example.com. SECONDARY', 'failover-1.api.example.com. PRIMARY']);
    expect(records(stacks[2]).map((r) => `${r.Name} ${r.Failover}`)).toEqual(['failover-1.api.example.com. SECONDARY']);
  });
});

describe('FailoverDns cdk-nag', () => {
  test('AwsSolutions: no unsuppressed errors (chain of 3, alarms notifying an encrypted topic, us-east-1)', () => {
    const { stack, zone } = setup();
    const masterKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true, masterKey });
    new FailoverDns(stack, 'Api', { zone, recordName: 'api', endpoints: cnameEndpoints(3), alarmTopic: topic });
    expect(nagErrors(stack)).toEqual([]);
  });
});
