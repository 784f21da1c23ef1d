import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { contextOf } from './route53-fixtures';
import { FailoverDns, FailoverDnsProps, FailoverEndpoint, FailoverRouting, HealthCheckProtocol } from '../../src';
import { route53Rule } from '../../src/simulator/rules/route53';

// The estimate (RecoveryModel.dnsFailover) of a FailoverDns must never be below the simulated worst case of the same
// configuration, and both use the same constants: here they must be equal, worst case and typical.

const EAST = 'web-use1.us-east-1.elb.amazonaws.com';
const WEST = 'web-usw2.us-west-2.elb.amazonaws.com';
const EU = 'web-euw1.eu-west-1.elb.amazonaws.com';

/** An alias target to a load balancer, by name (no construct needed). */
function elb(dnsName: string, zone: string): route53.RecordTarget {
  return route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: `dualstack.${dnsName}`, hostedZoneId: zone }) });
}

function synth(props: Partial<FailoverDnsProps> & { endpoints: FailoverEndpoint[] }, region: string = 'us-east-1') {
  const app = new App();
  const stack = new Stack(app, 'Dns', { env: { account: '111111111111', region } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0EXAMPLE', zoneName: 'example.com' });
  const dns = new FailoverDns(stack, 'Dns', { zone, recordName: 'api', ...props });
  const template = Template.fromStack(stack).toJSON();
  return { dns, stack: { name: 'Dns', region, resources: template.Resources, parameters: template.Parameters } };
}

const cnames: FailoverEndpoint[] = [{ region: 'us-east-1', domainName: EAST }, { region: 'us-west-2', domainName: WEST }];

test.each([
  // 10 s × 2 + 6 s + 10 s + 15 s TTL = 51 s (typical 45 s)
  ['default CNAME endpoints', {}, 51, 45],
  // 30 s × 3 + 6 s + 10 s + 15 s = 121 s (typical 115 s)
  ['30 s checks × 3', { healthCheck: { interval: Duration.seconds(30), failureThreshold: 3 } }, 121, 115],
  // TCP: 10 s × 2 + 10 s + 10 s + 15 s = 55 s (typical 45 s)
  ['TCP checks', { healthCheck: { protocol: HealthCheckProtocol.TCP } }, 55, 45],
  // string match: 10 s × 2 + 8 s + 10 s + 15 s = 53 s (typical 45 s)
  ['string-matching checks', { healthCheck: { searchString: 'ok' } }, 53, 45],
  // TTL 60 s: 10 s × 2 + 6 s + 10 s + 60 s = 96 s (typical 90 s)
  ['TTL 60 s', { ttl: Duration.seconds(60) }, 96, 90],
])('FailoverDns, %s: simulated = estimate', (_name, props: Partial<FailoverDnsProps>, worst, typical) => {
  const { dns, stack } = synth({ endpoints: cnames, ...props });
  const flow = route53Rule(contextOf([stack], 'us-east-1')).find((f) => f.id === 'dns:api.example.com')!;
  expect(flow.recoveredAtSeconds).toBe(worst);
  expect(flow.typicalSeconds).toBe(typical);
  expect(dns.recoveryEstimate.rto.toSeconds()).toBe(worst);
  expect(dns.recoveryEstimate.typicalRto.toSeconds()).toBe(typical);
});

test('FailoverDns chain of 3 regions: the first region fails → 51 s, as estimated; the others leave it unimpacted', () => {
  const { dns, stack } = synth({ endpoints: [...cnames, { region: 'eu-west-1', domainName: EU }] });
  const run = (outage: string) => route53Rule(contextOf([stack], outage));
  expect(run('us-east-1').map((f) => [f.id, f.recoveredAtSeconds, f.typicalSeconds, f.toRegion])).toEqual([['dns:api.example.com', 51, 45, 'us-west-2']]);
  expect(run('us-west-2').map((f) => f.impacted)).toEqual([false]);
  expect(run('eu-west-1').map((f) => f.impacted)).toEqual([false]);
  expect(dns.recoveryEstimate.rto.toSeconds()).toBe(51);
});

test('FailoverDns alias targets with a health check: 10 s × 2 + 6 s + 10 s + 60 s assumed target TTL = 96 s, as estimated', () => {
  const endpoints: FailoverEndpoint[] = [
    { region: 'us-east-1', target: elb(EAST, 'Z35SXDOTRQ7X7K'), healthCheck: { fqdn: EAST } },
    { region: 'us-west-2', target: elb(WEST, 'Z1H1FL5HABSF5'), healthCheck: { fqdn: WEST } },
  ];
  const { dns, stack } = synth({ endpoints });
  const flow = route53Rule(contextOf([stack], 'us-east-1'))[0];
  expect([flow.recoveredAtSeconds, flow.typicalSeconds]).toEqual([96, 90]);
  expect([dns.recoveryEstimate.rto.toSeconds(), dns.recoveryEstimate.typicalRto.toSeconds()]).toEqual([96, 90]);
});

test('FailoverDns evaluateTargetHealthOnly: assumed 30 s × 3 + 6 s + 10 s + 60 s = 166 s, as estimated', () => {
  const endpoints: FailoverEndpoint[] = [
    { region: 'us-east-1', target: elb(EAST, 'Z35SXDOTRQ7X7K'), evaluateTargetHealthOnly: true },
    { region: 'us-west-2', target: elb(WEST, 'Z1H1FL5HABSF5'), evaluateTargetHealthOnly: true },
  ];
  const { dns, stack } = synth({ endpoints });
  const flow = route53Rule(contextOf([stack], 'us-east-1'))[0];
  expect([flow.recoveredAtSeconds, flow.typicalSeconds]).toEqual([166, 160]);
  expect([dns.recoveryEstimate.rto.toSeconds(), dns.recoveryEstimate.typicalRto.toSeconds()]).toEqual([166, 160]);
});

test('FailoverDns latency routing: the failed region\'s clients move after 51 s, as estimated', () => {
  const { dns, stack } = synth({ endpoints: cnames, routing: FailoverRouting.LATENCY });
  const flow = route53Rule(contextOf([stack], 'us-west-2'))[0];
  expect(flow).toMatchObject({ impacted: true, fromRegion: 'us-west-2', toRegion: 'us-east-1', recoveredAtSeconds: 51, typicalSeconds: 45 });
  expect(dns.recoveryEstimate.rto.toSeconds()).toBe(51);
});

test('FailoverDns with ARC routing controls (us-west-2 stack): the combined check fails with the endpoint, 51 s as estimated', () => {
  const { dns, stack } = synth({ endpoints: cnames, recoveryControl: {} }, 'us-west-2');
  const flow = route53Rule(contextOf([stack], 'us-east-1'))[0];
  expect([flow.recoveredAtSeconds, flow.typicalSeconds]).toEqual([51, 45]);
  expect(dns.recoveryEstimate.rto.toSeconds()).toBe(51);
});
