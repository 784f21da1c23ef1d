import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AuroraGlobalFailover } from '../../src/aurora-global-failover';
import { FailoverDns } from '../../src/failover-dns';
import { RegionSwitchPlan, RegionSwitchPlanProps } from '../../src/region-switch-plan';

export const ACCOUNT = '111111111111';
export const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
export const PRIMARY = 'us-east-1';
export const SECONDARY = 'us-west-2';

/** An app with a plan stack in `planRegion` and a plan over us-east-1 ⇄ us-west-2. */
export function setup(props: Partial<RegionSwitchPlanProps> = {}, planRegion = PRIMARY) {
  const app = new App();
  const stack = new Stack(app, 'Plan', { env: { account: ACCOUNT, region: planRegion } });
  const plan = new RegionSwitchPlan(stack, 'Plan', { planName: 'orders', regions: [PRIMARY, SECONDARY], ...props });
  return { app, stack, plan };
}

/** A FailoverDns over `regions` (CNAME endpoints) in its own stack of us-east-1, zone imported by id. */
export function dnsIn(app: App, regions: string[] = [PRIMARY, SECONDARY], id = 'Dns'): FailoverDns {
  const stack = new Stack(app, id, { env: { account: ACCOUNT, region: PRIMARY } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: 'example.com' });
  return new FailoverDns(stack, 'Api', {
    zone,
    recordName: 'api.example.com',
    endpoints: regions.map((region) => ({ region, domainName: `${region}.origin.example.net` })),
  });
}

/** An AuroraGlobalFailover `orders` over `regions`. */
export function auroraIn(app: App, regions: string[] = [PRIMARY, SECONDARY]): AuroraGlobalFailover {
  return new AuroraGlobalFailover(app, 'Orders', { account: ACCOUNT, regions, globalClusterIdentifier: 'orders' });
}

/** The plan resource's properties (after synthesis). */
export function planProps(stack: Stack): any {
  const plans = Template.fromStack(stack).findResources('AWS::ARCRegionSwitch::Plan');
  return (Object.values(plans)[0] as any).Properties;
}

/** Every statement of the created execution role's policies. */
export function roleStatements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

/** Every action of `statements`, flattened. */
export function actionsOf(statements: any[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}
