import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AuroraGlobalFailover, FailoverDns, RegionSwitchPlan } from '../../src';

test('the README example of the "Region switch (RegionSwitchPlan)" section synthesizes', () => {
  const app = new App();
  const stack = new Stack(app, 'Fixture', { env: { account: '111111111111', region: 'us-east-1' } });
  ((self: Stack) => {
    // --- README example (keep in sync) ---
    const db = new AuroraGlobalFailover(app, 'Orders', {
      account: '111111111111',
      regions: ['us-east-1', 'us-west-2'],
      globalClusterIdentifier: 'orders',
    });
    const zone = route53.HostedZone.fromHostedZoneAttributes(self, 'Zone', {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      zoneName: 'example.com',
    });
    const dns = new FailoverDns(self, 'Api', {
      zone,
      recordName: 'api.example.com',
      endpoints: [
        { region: 'us-east-1', domainName: 'api-use1.example.net' },
        { region: 'us-west-2', domainName: 'api-usw2.example.net' },
      ],
    });

    const plan = new RegionSwitchPlan(self, 'Plan', {
      planName: 'orders',
      regions: ['us-east-1', 'us-west-2'],
    });
    plan.addStep(plan.auroraStep(db));
    plan.addStep(plan.failoverDnsStep(dns));
    // The PRIMARY record answers while its endpoint AND the plan's health check of us-east-1 are healthy.
    dns.useRegionSwitchPlan(plan);
    // --- end ---
  })(stack);
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::ARCRegionSwitch::Plan', 1);
  t.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'CALCULATED', HealthThreshold: 2 } });
});
