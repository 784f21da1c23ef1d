import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { build, ZONE_ID } from './helpers';
import { FailoverDns } from '../../src/failover-dns';
import { RegionalService } from '../../src/regional-service';
import { OutageSimulator } from '../../src/simulator';

/** The cloud assembly directory the App of `service` synthesized into. */
function outdirOf(service: RegionalService): string {
  return (service.node.root as any).outdir;
}

describe('FailoverDns over a RegionalService', () => {
  let service: RegionalService;
  let dnsStack: Stack;
  let dns: FailoverDns;
  let t: Template;
  beforeAll(() => {
    const built = build();
    service = built.service;
    dnsStack = new Stack(built.app, 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(dnsStack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: 'example.com' });
    dns = new FailoverDns(dnsStack, 'AppDns', {
      zone,
      recordName: service.domainName,
      endpoints: service.failoverEndpoints(),
      recordTypes: [route53.RecordType.A],
    });
    service.stacks.forEach((s) => dnsStack.addDependency(s));
    built.app.synth();
    t = Template.fromStack(dnsStack);
  });

  test('PRIMARY and SECONDARY are aliases to the regional names, with EvaluateTargetHealth, and no cross-stack reference', () => {
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'app.example.com.',
      Type: 'A',
      Failover: 'PRIMARY',
      AliasTarget: { DNSName: 'us-east-1.app.example.com.', HostedZoneId: ZONE_ID, EvaluateTargetHealth: true },
      HealthCheckId: Match.anyValue(),
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'SECONDARY',
      AliasTarget: { DNSName: 'us-west-2.app.example.com.', HostedZoneId: ZONE_ID, EvaluateTargetHealth: true },
    });
    expect(JSON.stringify(t.toJSON())).not.toMatch(/Fn::ImportValue|ExportsReader|\/cdk\/exports/);
  });

  test('each Route 53 health check calls the region\'s own name and the health path over HTTPS', () => {
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ Type: 'HTTPS', FullyQualifiedDomainName: 'us-east-1.app.example.com', ResourcePath: '/health', Port: 443 }),
    });
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ FullyQualifiedDomainName: 'us-west-2.app.example.com' }),
    });
  });

  test('the DNS estimate counts the 60 s ELB alias TTL as stated (aliasTargetTtl), not as an assumption', () => {
    expect(dns.recoveryEstimate.explanation).toContain('alias target TTL (`aliasTargetTtl`) 60 s');
    expect(dns.recoveryEstimate.rto.toSeconds()).toBe(10 * 2 + 6 + 10 + 60);
  });

  test('evaluateTargetHealthOnly: no Route 53 health check, the alias carries the load balancer\'s target health', () => {
    const endpoints = build().service.failoverEndpoints({ evaluateTargetHealthOnly: true });
    expect(endpoints.map((e) => [e.region, e.evaluateTargetHealthOnly, e.healthCheck, e.aliasTargetTtl?.toSeconds()])).toEqual([
      ['us-east-1', true, undefined, 60],
      ['us-west-2', true, undefined, 60],
    ]);
  });

  test('the outage simulator places the regional names by their records (alias to each region\'s load balancer): the www flow fails over within the DNS estimate, with no unplaced-host finding', () => {
    const result = OutageSimulator.fromAssembly(outdirOf(service)).run({ outage: 'us-east-1' });
    const flow = result.flows.find((f) => f.kind === 'dns' && f.name === 'app.example.com')!;
    expect(flow.impacted).toBe(true);
    expect(flow.toRegion).toBe('us-west-2');
    expect(flow.recoveredAtSeconds).toBe(dns.recoveryEstimate.rto.toSeconds());
    expect(result.findings.filter((f) => f.message.includes('cannot tell which region'))).toEqual([]);
  });
});
