import * as fs from 'fs';
import { writeAssembly, tmpAssemblyDir } from './fixtures';
import { contextOf, healthCheck, httpsCheck, TestStack } from './route53-fixtures';
import { OutageSimulator } from '../../src/simulator';
import { route53Rule } from '../../src/simulator/rules/route53';

const ZONE = 'Z0EXAMPLE';
const EAST = 'web-use1.us-east-1.elb.amazonaws.com';
const WEST = 'web-usw2.us-west-2.elb.amazonaws.com';
const EU = 'web-euw1.eu-west-1.elb.amazonaws.com';
const EAST_ELB_ZONE = 'Z35SXDOTRQ7X7K';
const WEST_ELB_ZONE = 'Z1H1FL5HABSF5';

/** A record set of the example zone. */
function record(name: string, type: string, props: any): any {
  return { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: ZONE, Name: `${name}.`, Type: type, ...props } };
}
function cname(name: string, value: any, props: any = {}): any {
  return record(name, 'CNAME', { ResourceRecords: [value], TTL: '15', ...props });
}
function alias(name: string, type: string, dnsName: any, zone: any, props: any = {}): any {
  const target = { DNSName: dnsName, HostedZoneId: zone, ...(props.eth ? { EvaluateTargetHealth: true } : {}) };
  return record(name, type, { AliasTarget: target, ...props.rest });
}

/** `Failover`, `SetIdentifier` and, when given, `HealthCheckId` (a `Ref` to the check's logical id) of a failover record. */
function failover(role: 'PRIMARY' | 'SECONDARY', setIdentifier: string, check?: string): any {
  return { Failover: role, SetIdentifier: setIdentifier, ...(check ? { HealthCheckId: { Ref: check } } : {}) };
}
/** An A alias `example.com` to EAST's (`'east'`) or WEST's (`'west'`) load balancer, with EvaluateTargetHealth. */
function elbAlias(lb: 'east' | 'west', rest: any): any {
  const [dnsName, zone] = lb === 'east' ? [`dualstack.${EAST}`, EAST_ELB_ZONE] : [`dualstack.${WEST}`, WEST_ELB_ZONE];
  return alias('example.com', 'A', dnsName, zone, { eth: true, rest });
}
/** HTTPS checks `EastHc` of EAST and `WestHc` of WEST (FailoverDns's default). */
function checks(): any {
  return { EastHc: httpsCheck(EAST), WestHc: httpsCheck(WEST) };
}
/** One stack `Dns` of `resources`. */
function dns(resources: { [id: string]: any }, region: string = 'us-east-1'): TestStack[] {
  return [{ name: 'Dns', region, resources }];
}

function simulate(stacks: TestStack[], outage: string, propagation: number = 10) {
  const ctx = contextOf(stacks, outage, propagation);
  const flows = route53Rule(ctx);
  return { flows, findings: ctx.findings, flow: (id: string) => flows.find((f) => f.id === id)! };
}

/** FailoverDns's default shape: HTTPS /health every 10 s, threshold 2, CNAME TTL 15 s. */
const failoverPair: TestStack[] = dns({
  ...checks(),
  Primary: {
    ...cname('www.example.com', EAST, failover('PRIMARY', 'us-east-1', 'EastHc')),
    Metadata: { 'aws:cdk:path': 'Dns/Www/us-east-1/CNAMEPrimary/Resource' },
  },
  Secondary: cname('www.example.com', WEST, failover('SECONDARY', 'us-west-2', 'WestHc')),
});

describe('failover records', () => {
  test('primary region fails: 10 s × 2 + 6 s probe timeout + 10 s propagation + 15 s TTL = 51 s (typical 45 s)', () => {
    const { flows, findings } = simulate(failoverPair, 'us-east-1');
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({
      id: 'dns:www.example.com',
      kind: 'dns',
      name: 'www.example.com',
      impacted: true,
      fromRegion: 'us-east-1',
      toRegion: 'us-west-2',
      recoveredAtSeconds: 51,
      typicalSeconds: 45,
      blockedBy: [],
      constructPath: 'Dns/Www/us-east-1/CNAMEPrimary',
    });
    expect(flows[0].timeline.map((e) => [e.t, e.phase])).toEqual([
      [0, 'failing'], [0, 'detection'], [26, undefined], [26, 'propagation'], [36, undefined], [51, 'recovered'],
    ]);
    expect(flows[0].timeline[5]).toEqual({ t: 51, event: 'recovered: www.example.com resolves to us-west-2', phase: 'recovered', region: 'us-west-2' });
    expect(findings).toEqual([]);
  });

  test('the propagation allowance is the simulation option (0 s: 10 s × 2 + 6 s + 15 s = 41 s)', () => {
    expect(simulate(failoverPair, 'us-east-1', 0).flows[0].recoveredAtSeconds).toBe(41);
  });

  test('secondary region fails: the primary still serves (not impacted), the lost standby is on the timeline', () => {
    const flow = simulate(failoverPair, 'us-west-2').flows[0];
    expect(flow).toMatchObject({ impacted: false, fromRegion: 'us-east-1', blockedBy: [] });
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.timeline).toEqual([{ t: 26, event: `standby Dns/Secondary (${WEST}, us-west-2) unhealthy: www.example.com CNAME keeps being served, with no standby in us-west-2 until it recovers` }]);
  });

  test('a PRIMARY without a health check never fails over: error finding, blocked', () => {
    const stacks = dns({
      WestHc: httpsCheck(WEST),
      Primary: cname('www.example.com', EAST, failover('PRIMARY', 'east')),
      Secondary: cname('www.example.com', WEST, failover('SECONDARY', 'west', 'WestHc')),
    });
    const { flows, findings } = simulate(stacks, 'us-east-1');
    expect(flows[0].impacted).toBe(true);
    expect(flows[0].recoveredAtSeconds).toBeUndefined();
    expect(flows[0].blockedBy).toEqual([{
      resource: 'Dns/Primary',
      reason: 'the record has no health check and no EvaluateTargetHealth: Route 53 always considers it healthy (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html)',
    }]);
    expect(findings).toEqual([{
      severity: 'error',
      resource: 'Dns/Primary',
      message: 'failover PRIMARY www.example.com CNAME has no health check (nor EvaluateTargetHealth): Route 53 always considers it healthy, so it never fails over (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html)',
    }]);
  });

  test('a SECONDARY in the primary\'s region: error finding; both fail, Route 53 fails open to the primary', () => {
    const east2 = 'web-use1-b.us-east-1.elb.amazonaws.com';
    const stacks = dns({
      EastHc: httpsCheck(EAST),
      East2Hc: httpsCheck(east2),
      Primary: cname('www.example.com', EAST, failover('PRIMARY', 'a', 'EastHc')),
      Secondary: cname('www.example.com', east2, failover('SECONDARY', 'b', 'East2Hc')),
    });
    const { flows, findings } = simulate(stacks, 'us-east-1');
    expect(findings).toEqual([{ severity: 'error', resource: 'Dns/Secondary', message: 'the SECONDARY of www.example.com CNAME is in the same region as the PRIMARY (us-east-1): an outage of that region takes both' }]);
    expect(flows[0].recoveredAtSeconds).toBeUndefined();
    expect(flows[0].blockedBy).toEqual([{
      resource: 'Dns/Primary',
      reason: `every record of www.example.com CNAME is unhealthy, so Route 53 answers as if all were healthy (fail-open, https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html) and keeps answering ${EAST} in us-east-1`,
    }]);
  });

  test('fail-open later: the secondary\'s check follows an alarm in the failed region (Unhealthy on insufficient data)', () => {
    // 26 s: primary unhealthy → secondary; 60 s × 1: the us-east-1 alarm's data is insufficient → secondary unhealthy
    // → both unhealthy → Route 53 answers with the primary again: never recovers.
    const stacks: TestStack[] = [
      { name: 'Watch', region: 'us-east-1', resources: { Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'west-ok', Namespace: 'AWS/ApplicationELB', MetricName: 'HealthyHostCount', Period: 60, EvaluationPeriods: 1 } } } },
      ...dns({
        EastHc: httpsCheck(EAST),
        WestHc: healthCheck({ Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Name: 'west-ok', Region: 'us-east-1' }, InsufficientDataHealthStatus: 'Unhealthy' }),
        Primary: cname('www.example.com', EAST, failover('PRIMARY', 'east', 'EastHc')),
        Secondary: cname('www.example.com', WEST, failover('SECONDARY', 'west', 'WestHc')),
      }, 'us-west-2'),
    ];
    const flow = simulate(stacks, 'us-east-1').flows[0];
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.blockedBy[0].reason).toContain('every record of www.example.com CNAME is unhealthy, so Route 53 answers as if all were healthy (fail-open');
  });

  test('alias targets: 10 s × 2 + 6 s + 10 s + 60 s assumed alias target TTL = 96 s (typical 90 s)', () => {
    const stacks = dns({
      ...checks(),
      Primary: elbAlias('east', failover('PRIMARY', 'east', 'EastHc')),
      Secondary: elbAlias('west', failover('SECONDARY', 'west', 'WestHc')),
    });
    const flow = simulate(stacks, 'us-east-1').flows[0];
    // The alias also evaluates its target's health (assumed 30 s × 3 + 6 s = 96 s); the record needs both healthy,
    // so it is unhealthy with the check at 26 s: 26 s + 10 s + 60 s = 96 s (typical 20 + 10 + 60 = 90 s).
    expect(flow).toMatchObject({ recoveredAtSeconds: 96, typicalSeconds: 90, toRegion: 'us-west-2' });
    expect(flow.timeline.find((e) => e.t === 36)!.event).toContain('resolvers keep the old answer for its TTL, 60 s (alias target TTL, assumed: RecoveryModel.ALIAS_TARGET_TTL)');
  });

  test('EvaluateTargetHealth only (no health check): assumed 30 s × 3 + 6 s + 10 s + 60 s = 166 s (typical 160 s)', () => {
    const stacks = dns({
      Primary: elbAlias('east', failover('PRIMARY', 'east')),
      Secondary: elbAlias('west', failover('SECONDARY', 'west')),
    });
    const { flows, findings } = simulate(stacks, 'us-east-1');
    expect(flows[0]).toMatchObject({ recoveredAtSeconds: 166, typicalSeconds: 160 });
    expect(findings).toEqual([]);
  });

  test('aliases to records of the same zone answer with those records\' TTL (10 s × 2 + 6 s + 10 s + 30 s = 66 s)', () => {
    const stacks = dns({
      ...checks(),
      East: cname('east.example.com', EAST, { TTL: '30', HealthCheckId: { Ref: 'EastHc' } }),
      West: cname('west.example.com', WEST, { TTL: '30', HealthCheckId: { Ref: 'WestHc' } }),
      Primary: alias('www.example.com', 'CNAME', 'east.example.com.', ZONE, { eth: true, rest: failover('PRIMARY', 'east') }),
      Secondary: alias('www.example.com', 'CNAME', 'west.example.com.', ZONE, { eth: true, rest: failover('SECONDARY', 'west') }),
    });
    const { flows } = simulate(stacks, 'us-east-1');
    // east/west are reached through routing-policy aliases: chain levels, not flows of their own.
    expect(flows.map((f) => f.id)).toEqual(['dns:www.example.com']);
    expect(flows[0]).toMatchObject({ recoveredAtSeconds: 66, typicalSeconds: 60, toRegion: 'us-west-2' });
  });
});

describe('failover chains (N regions: SECONDARY aliases to the next level, EvaluateTargetHealth)', () => {
  // FailoverDns's chain for us-east-1 → us-west-2 → eu-west-1, CNAME TTL 15 s, HTTPS every 10 s × 2.
  const chain = dns({
    ...checks(),
    EuHc: httpsCheck(EU),
    L0Primary: cname('api.example.com', EAST, failover('PRIMARY', 'us-east-1', 'EastHc')),
    L0Secondary: alias('api.example.com', 'CNAME', 'failover-1.api.example.com.', ZONE, { eth: true, rest: failover('SECONDARY', 'chain-us-west-2') }),
    L1Primary: cname('failover-1.api.example.com', WEST, failover('PRIMARY', 'us-west-2', 'WestHc')),
    L1Secondary: cname('failover-1.api.example.com', EU, failover('SECONDARY', 'eu-west-1', 'EuHc')),
  });

  test('first region fails: level 1 answers (10 s × 2 + 6 s + 10 s + 15 s = 51 s)', () => {
    const { flows, findings } = simulate(chain, 'us-east-1');
    expect(flows.map((f) => f.id)).toEqual(['dns:api.example.com']);
    expect(flows[0]).toMatchObject({ recoveredAtSeconds: 51, typicalSeconds: 45, toRegion: 'us-west-2' });
    expect(findings).toEqual([]);
  });

  test('second region fails: the primary still serves', () => {
    const flow = simulate(chain, 'us-west-2').flows[0];
    expect(flow.impacted).toBe(false);
    expect(flow.timeline.map((e) => e.t)).toEqual([26]);
  });

  test('the next level fails too (both in the failed region): the alias is unhealthy, fail-open to the primary', () => {
    const stacks: TestStack[] = [{ ...chain[0], resources: { ...chain[0].resources, L1Primary: cname('failover-1.api.example.com', 'web-b.us-east-1.elb.amazonaws.com', failover('PRIMARY', 'b', 'EastHc')), L1Secondary: cname('failover-1.api.example.com', 'web-c.us-east-1.elb.amazonaws.com', failover('SECONDARY', 'c', 'EastHc')) } }];
    const { flows, findings } = simulate(stacks, 'us-east-1');
    expect(flows[0].recoveredAtSeconds).toBeUndefined();
    expect(flows[0].blockedBy[0].resource).toBe('Dns/L0Primary');
    expect(findings.map((f) => f.message)).toEqual([
      'the SECONDARY of api.example.com CNAME is in the same region as the PRIMARY (us-east-1): an outage of that region takes both',
      'the SECONDARY of failover-1.api.example.com CNAME is in the same region as the PRIMARY (us-east-1): an outage of that region takes both',
    ]);
  });
});

describe('latency and weighted records', () => {
  const latency = (hc: boolean): TestStack[] => dns({
    ...checks(),
    East: cname('api.example.com', EAST, { TTL: '30', Region: 'us-east-1', SetIdentifier: 'us-east-1', ...(hc ? { HealthCheckId: { Ref: 'EastHc' } } : {}) }),
    West: cname('api.example.com', WEST, { TTL: '30', Region: 'us-west-2', SetIdentifier: 'us-west-2', HealthCheckId: { Ref: 'WestHc' } }),
  });
  /** Weighted CNAMEs East (EastHc) and West (WestHc) of api.example.com. */
  const weighted = (east: number, west: number): TestStack[] => dns({
    ...checks(),
    East: cname('api.example.com', EAST, { Weight: east, SetIdentifier: 'east', HealthCheckId: { Ref: 'EastHc' } }),
    West: cname('api.example.com', WEST, { Weight: west, SetIdentifier: 'west', HealthCheckId: { Ref: 'WestHc' } }),
  });

  test('latency: the failed region\'s clients move (10 s × 2 + 6 s + 10 s + 30 s = 66 s)', () => {
    const flow = simulate(latency(true), 'us-east-1').flows[0];
    expect(flow).toMatchObject({ impacted: true, fromRegion: 'us-east-1', toRegion: 'us-west-2', recoveredAtSeconds: 66, typicalSeconds: 60 });
  });

  test('latency record without a health check: its clients never move (error finding)', () => {
    const { flows, findings } = simulate(latency(false), 'us-east-1');
    expect(flows[0].recoveredAtSeconds).toBeUndefined();
    expect(flows[0].blockedBy[0].resource).toBe('Dns/East');
    expect(findings).toEqual([{ severity: 'error', resource: 'Dns/East', message: 'latency record api.example.com CNAME (us-east-1) has no health check: the clients Route 53 sends to it keep going there when its region fails' }]);
  });

  test('weighted: the unhealthy record\'s share moves (10 s × 2 + 6 s + 10 s + 15 s = 51 s)', () => {
    expect(simulate(weighted(50, 50), 'us-east-1').flows[0]).toMatchObject({ recoveredAtSeconds: 51, toRegion: 'us-west-2' });
  });

  test('weighted with a zero-weight standby: considered once every nonzero record is unhealthy (51 s)', () => {
    const stacks = weighted(100, 0);
    const { flow } = simulate(stacks, 'us-west-2');
    expect(flow('dns:api.example.com').impacted).toBe(false);
    expect(simulate(stacks, 'us-east-1').flows[0]).toMatchObject({ impacted: true, recoveredAtSeconds: 51, toRegion: 'us-west-2' });
  });
});

describe('records Route 53 does not move', () => {
  test('a simple record to a regional endpoint: impacted, never recovers without a person', () => {
    const stacks = dns({ Www: cname('www.example.com', EAST, { TTL: '300' }) });
    const flow = simulate(stacks, 'us-east-1').flows[0];
    expect(flow).toMatchObject({ impacted: true, fromRegion: 'us-east-1' });
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.blockedBy[0].resource).toBe('Dns/Www');
  });

  test('records to CloudFront (global) are not impacted', () => {
    const stacks: TestStack[] = [{
      name: 'Site',
      region: 'us-east-1',
      resources: {
        Distribution: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { Origins: [{ Id: 'o', DomainName: EAST }], DefaultCacheBehavior: { TargetOriginId: 'o' } } } },
        A: alias('app.example.com', 'A', { 'Fn::GetAtt': ['Distribution', 'DomainName'] }, 'Z2FDTNDATAQYW2'),
        AAAA: alias('app.example.com', 'AAAA', { 'Fn::GetAtt': ['Distribution', 'DomainName'] }, 'Z2FDTNDATAQYW2'),
      },
    }];
    const { flows } = simulate(stacks, 'us-east-1');
    // A and AAAA behave the same: one flow.
    expect(flows).toEqual([{ id: 'dns:app.example.com', kind: 'dns', name: 'app.example.com', impacted: false, fromRegion: undefined, constructPath: undefined, blockedBy: [], timeline: [] }]);
  });

  test('types that behave differently get one flow each, suffixed with the type', () => {
    const stacks = dns({
      A: alias('example.com', 'A', `dualstack.${EAST}`, EAST_ELB_ZONE),
      AAAA: alias('example.com', 'AAAA', 'd111.cloudfront.net', 'Z2FDTNDATAQYW2'),
    });
    const { flows } = simulate(stacks, 'us-east-1');
    expect(flows.map((f) => [f.id, f.impacted])).toEqual([['dns:example.com:A', true], ['dns:example.com:AAAA', false]]);
  });

  test('a record to a database endpoint belongs to the database rule: no dns flow', () => {
    const stacks: TestStack[] = [{
      name: 'Db',
      region: 'us-east-1',
      resources: {
        Reader: { Type: 'Custom::AWS', Properties: { Create: '{"service":"RDS","action":"describeGlobalClusters","parameters":{"GlobalClusterIdentifier":"g"}}' } },
        Writer: cname('writer.db.example.com', { 'Fn::GetAtt': ['Reader', 'GlobalClusters.0.Endpoint'] }, { TTL: '30' }),
      },
    }];
    expect(simulate(stacks, 'us-east-1').flows).toEqual([]);
  });

  test('TXT and MX records carry no traffic: no flow', () => {
    const stacks = dns({ Txt: record('example.com', 'TXT', { ResourceRecords: ['"v=spf1 -all"'], TTL: '300' }) });
    expect(simulate(stacks, 'us-east-1').flows).toEqual([]);
  });
});

describe('routing controls (ARC) and calculated checks', () => {
  const control = { Type: 'AWS::Route53RecoveryControl::RoutingControl', Properties: { Name: 'east' } };
  const rc = healthCheck({ Type: 'RECOVERY_CONTROL', RoutingControlArn: { 'Fn::GetAtt': ['Control', 'RoutingControlArn'] } });
  /** In us-west-2: the routing control and its check `Rc`, `healthChecks`, and www.example.com's PRIMARY (health check `primaryCheck`) and SECONDARY (WestHc). */
  const withControl = (healthChecks: any, primaryCheck: string): TestStack[] => dns({
    Control: control,
    Rc: rc,
    ...healthChecks,
    Primary: cname('www.example.com', EAST, failover('PRIMARY', 'east', primaryCheck)),
    Secondary: cname('www.example.com', WEST, failover('SECONDARY', 'west', 'WestHc')),
  }, 'us-west-2');

  test('FailoverDns with ARC: CALCULATED 2 of (endpoint check, routing control) fails with the endpoint (51 s)', () => {
    const stacks = withControl({
      ...checks(),
      Combined: healthCheck({ Type: 'CALCULATED', HealthThreshold: 2, ChildHealthChecks: [{ Ref: 'EastHc' }, { Ref: 'Rc' }] }),
    }, 'Combined');
    expect(simulate(stacks, 'us-east-1').flows[0]).toMatchObject({ recoveredAtSeconds: 51, typicalSeconds: 45 });
  });

  test('a routing control alone needs a person; from their flip: 10 s propagation + 15 s TTL = 25 s', () => {
    const stacks = withControl({ WestHc: httpsCheck(WEST) }, 'Rc');
    const flow = simulate(stacks, 'us-east-1').flows[0];
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.afterManualStepSeconds).toBe(25);
    expect(flow.blockedBy).toEqual([{ resource: 'Dns/Rc', reason: 'routing control Dns/Control stays On until a person turns it Off (aws route53-recovery-cluster update-routing-control-state)' }]);
  });
});

describe('what the simulator cannot see', () => {
  test('a health check id that is not in the assembly: warning, assumed healthy; a PRIMARY alone: warning', () => {
    const stacks = dns({ Primary: cname('www.example.com', EAST, { ...failover('PRIMARY', 'east'), HealthCheckId: 'abcd-1234' }) });
    const { flows, findings } = simulate(stacks, 'us-east-1');
    expect(findings).toEqual([
      { severity: 'warning', resource: 'Dns/Primary', message: 'health check abcd-1234 is not in the assembly: the simulator assumes it stays healthy' },
      { severity: 'warning', resource: 'Dns/Primary', message: 'failover www.example.com CNAME has no SECONDARY record: nothing to fail over to' },
    ]);
    expect(flows[0].blockedBy).toEqual([{ resource: 'Dns/Primary', reason: 'health check abcd-1234 is not in the assembly (assumed healthy)' }]);
  });

  test('EvaluateTargetHealth on a CloudFront alias is not possible: the record stays healthy', () => {
    const stacks = dns({
      WestHc: httpsCheck(WEST),
      Primary: alias('example.com', 'A', 'd111.cloudfront.net', 'Z2FDTNDATAQYW2', { eth: true, rest: failover('PRIMARY', 'cf') }),
      Secondary: elbAlias('west', failover('SECONDARY', 'west', 'WestHc')),
    });
    const { flows } = simulate(stacks, 'us-west-2');
    expect(flows[0]).toMatchObject({ impacted: false, timeline: [{ t: 26 }] });
  });
});

test('record set groups and zones given by name are read like record sets', () => {
  const stacks = dns({
    ...checks(),
    Group: {
      Type: 'AWS::Route53::RecordSetGroup',
      Properties: {
        HostedZoneName: 'example.com.',
        RecordSets: [
          { Name: 'www.example.com.', Type: 'CNAME', TTL: '15', ResourceRecords: [EAST], ...failover('PRIMARY', 'east', 'EastHc') },
          { Name: 'www.example.com.', Type: 'CNAME', TTL: '15', ResourceRecords: [WEST], ...failover('SECONDARY', 'west', 'WestHc') },
        ],
      },
    },
  });
  // 10 s × 2 + 6 s + 10 s + 15 s = 51 s
  expect(simulate(stacks, 'us-east-1').flows[0]).toMatchObject({ id: 'dns:www.example.com', recoveredAtSeconds: 51 });
});

test('the rule is registered: OutageSimulator on a written assembly reports the dns flow (51 s)', () => {
  const dir = tmpAssemblyDir('sr53-');
  try {
    writeAssembly(dir, failoverPair.map((s) => ({ name: s.name, region: s.region, resources: s.resources })));
    const result = OutageSimulator.fromAssembly(dir).run({ outage: 'us-east-1' });
    expect(result.flows.find((f) => f.id === 'dns:www.example.com')).toMatchObject({ recoveredAtSeconds: 51, typicalSeconds: 45, toRegion: 'us-west-2' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
