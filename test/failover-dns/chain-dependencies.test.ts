import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FailoverDns, FailoverEndpoint, FailoverEndpointRecord } from '../../src';

// Route 53 rejects an alias to a record of the same zone that does not exist yet
// ("Tried to create an alias that targets <name>., type A in zone <id>, but that target was not found").
// Each chain alias (SECONDARY of level k-1) must therefore be created after the PRIMARY record of level k
// it aliases, which the same FailoverEndpointRecord owns.

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' };

interface CfnRecord {
  readonly logicalId: string;
  readonly stack: string;
  readonly name: string;
  readonly type: string;
  readonly failover?: string;
  readonly aliasTo?: string;
  readonly dependsOn: string[];
}

function cfnRecords(stack: Stack): CfnRecord[] {
  const json = Template.fromStack(stack).toJSON();
  return Object.entries<any>(json.Resources)
    .filter(([, r]) => r.Type === 'AWS::Route53::RecordSet')
    .map(([logicalId, r]) => ({
      logicalId,
      stack: stack.stackName,
      name: r.Properties.Name,
      type: r.Properties.Type,
      failover: r.Properties.Failover,
      aliasTo: r.Properties.AliasTarget?.DNSName,
      dependsOn: r.DependsOn ?? [],
    }));
}

/** Every chain alias depends on exactly the PRIMARY record, of its own type and stack, at the name it aliases. */
function expectChainDependencies(recs: CfnRecord[], expectedChainAliases: number): void {
  const chain = recs.filter((r) => r.aliasTo !== undefined && /failover-\d+\./.test(r.aliasTo));
  expect(chain).toHaveLength(expectedChainAliases);
  for (const alias of chain) {
    const target = recs.filter((r) => r.name === alias.aliasTo && r.type === alias.type && r.failover === 'PRIMARY');
    expect(target).toHaveLength(1);
    expect(target[0].stack).toBe(alias.stack);
    expect(alias.dependsOn).toEqual([target[0].logicalId]);
  }
  // Records that alias nothing in the zone wait for nothing.
  for (const r of recs.filter((x) => !chain.includes(x))) {
    expect(r.dependsOn).toEqual([]);
  }
}

function aliasEndpoints(n: number): FailoverEndpoint[] {
  const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'lb.example.net', hostedZoneId: 'Z2' }) });
  return REGIONS.slice(0, n).map((region) => ({ region, target, evaluateTargetHealthOnly: true }));
}

describe('failover chain: each chain alias DependsOn the PRIMARY record it aliases', () => {
  test.each([3, 5])('%i CNAME endpoints in one stack', (n) => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
    new FailoverDns(stack, 'Api', {
      zone,
      recordName: 'api',
      endpoints: REGIONS.slice(0, n).map((region) => ({ region, domainName: `${region}.origin.example.net` })),
    });
    const recs = cfnRecords(stack);
    expectChainDependencies(recs, n - 2);
    // Spelled out for the 3-endpoint chain: level 0's SECONDARY waits for level 1's PRIMARY.
    if (n === 3) {
      const alias = recs.find((r) => r.name === 'api.example.com.' && r.failover === 'SECONDARY')!;
      const target = recs.find((r) => r.name === 'failover-1.api.example.com.' && r.failover === 'PRIMARY')!;
      expect(alias.logicalId).toMatch(/^Apiuswest2CNAMEChainSecondary/);
      expect(target.logicalId).toMatch(/^Apiuswest2CNAMEPrimary/);
      expect(alias.dependsOn).toEqual([target.logicalId]);
    }
  });

  test.each([3, 5])('%i alias endpoints (A and AAAA) in one stack: each type waits for its own type', (n) => {
    const stack = new Stack(new App(), 'Dns', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
    new FailoverDns(stack, 'Site', { zone, recordName: 'api', endpoints: aliasEndpoints(n) });
    expectChainDependencies(cfnRecords(stack), 2 * (n - 2));
  });

  test.each([3, 5])('%i FailoverEndpointRecords in their own regional stacks: dependencies stay inside each stack', (n) => {
    const app = new App();
    const regions = REGIONS.slice(0, n);
    const stacks = regions.map((region, priority) => {
      const stack = new Stack(app, `Api-${region}`, { env: { account: '111111111111', region } });
      const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
      new FailoverEndpointRecord(stack, 'Endpoint', {
        zone,
        recordName: 'api.example.com',
        priority,
        endpointCount: n,
        endpoint: { region, domainName: `${region}.origin.example.net` },
      });
      return stack;
    });
    const all = stacks.flatMap(cfnRecords);
    expectChainDependencies(all, n - 2);
    for (const stack of stacks) {
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('Fn::ImportValue');
      expect(stack.dependencies).toEqual([]);
    }
    // The middle stacks each hold one chain alias and the PRIMARY it waits for.
    for (const stack of stacks.slice(1, -1)) {
      const recs = cfnRecords(stack);
      expect(recs.map((r) => `${r.failover} ${r.aliasTo ? 'alias' : 'CNAME'}`).sort()).toEqual(['PRIMARY CNAME', 'SECONDARY alias']);
    }
  });
});
