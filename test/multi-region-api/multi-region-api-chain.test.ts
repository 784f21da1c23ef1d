/**
 * #9 item 1: a MultiRegionApi with 3+ regions must deploy on the first try. Route 53 refuses an alias record
 * whose target record does not exist yet, so each chain alias (the SECONDARY of level k-1 that aliases level k)
 * must be created after the record it aliases, inside its own stack, with no cross-stack reference.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiAuthorization, MultiRegionApi, MultiRegionApiProps } from '../../src/multi-region-api';

const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const THREE = ['us-east-1', 'us-west-2', 'eu-west-1'];
const FOUR = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];

function build(regions: string[], overrides: Partial<MultiRegionApiProps> = {}): MultiRegionApi {
  return new MultiRegionApi(new App(), 'Api', {
    account: '111111111111',
    regions,
    hostedZoneId: ZONE_ID,
    zoneName: 'example.com',
    recordName: 'api',
    authorization: ApiAuthorization.none(),
    ...overrides,
  });
}

interface RecordResource { logicalId: string; name: string; failover?: string; aliasTo?: string; dependsOn: string[] }

function recordSets(t: Template): RecordResource[] {
  return Object.entries(t.findResources('AWS::Route53::RecordSet')).map(([logicalId, r]: [string, any]) => ({
    logicalId,
    name: r.Properties.Name,
    failover: r.Properties.Failover,
    aliasTo: typeof r.Properties.AliasTarget?.DNSName === 'string' ? r.Properties.AliasTarget.DNSName : undefined,
    dependsOn: r.DependsOn ?? [],
  }));
}

describe('MultiRegionApi failover chain: deploys on the first try', () => {
  test.each([[THREE], [FOUR]])('every chain alias DependsOn the record it aliases, in its own stack (%j)', (regions) => {
    const api = build(regions);
    let chainAliases = 0;
    api.stacks.forEach((stack, i) => {
      const records = recordSets(Template.fromStack(stack));
      const aliases = records.filter((r) => r.failover === 'SECONDARY' && r.aliasTo !== undefined);
      // Regions 1 .. n-2 each hold one chain alias: level i-1 → level i.
      expect(aliases).toHaveLength(i > 0 && i < regions.length - 1 ? 1 : 0);
      for (const alias of aliases) {
        expect(alias.name).toBe(i === 1 ? 'api.example.com.' : `failover-${i - 1}.api.example.com.`);
        expect(alias.aliasTo).toBe(`failover-${i}.api.example.com.`);
        const target = records.find((r) => r.name === alias.aliasTo && r.failover === 'PRIMARY');
        expect(target).toBeDefined();
        expect(alias.dependsOn).toContain(target!.logicalId);
        chainAliases++;
      }
    });
    expect(chainAliases).toBe(regions.length - 2);
  });

  test.each([[THREE], [FOUR]])('no stack imports from another or writes across regions (%j)', (regions) => {
    const api = build(regions);
    for (const stack of api.stacks) {
      const json = JSON.stringify(Template.fromStack(stack).toJSON());
      expect(json).not.toContain('Fn::ImportValue');
      expect(json).not.toContain('"Export"');
      expect(json).not.toContain('Custom::CrossRegion');
      expect(json).not.toContain('ExportsReader');
    }
    // The only stack dependencies: every secondary on the primary (which creates the global table).
    expect(api.stacks.map((s) => s.dependencies.map((d) => d.stackName))).toEqual(
      regions.map((_, i) => (i === 0 ? [] : ['api-example-com-api-us-east-1'])));
  });
});
