import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ACCOUNT, dnsIn, PRIMARY, SECONDARY, setup, ZONE_ID } from './helpers';
import { FailoverDns, FailoverDnsProps, FailoverRouting } from '../../src/failover-dns';
import { ApiAuthorization, MultiRegionApi } from '../../src/multi-region-api';
import { RecoveryApproach, RegionSwitchPlanProps, WorkflowAction } from '../../src/region-switch-plan';
import { failureMessage } from '../util/errors';
import { nagErrors } from '../util/nag';

const PARAM = (region: string) => `/cdk-multi-region-failover/region-switch/orders/api.example.com/${region}/health-check-id`;

/** The health checks of `stack` by logical id. */
function healthChecks(stack: Stack): { [id: string]: any } {
  return Template.fromStack(stack).findResources('AWS::Route53::HealthCheck');
}

function calculated(stack: Stack): [string, any][] {
  return Object.entries(healthChecks(stack)).filter(([, r]) => r.Properties.HealthCheckConfig.Type === 'CALCULATED');
}

/** The records of `stack` with their failover role. */
function records(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet')).map((r: any) => r.Properties);
}

/** The `AWS::SSM::Parameter::Value<String>` parameter of `stack` that reads `name`, by logical id. */
function ssmParameter(stack: Stack, name: string): string {
  const params = Template.fromStack(stack).toJSON().Parameters ?? {};
  const found = Object.entries(params).find(([, p]: [string, any]) => p.Type === 'AWS::SSM::Parameter::Value<String>' && p.Default === name);
  if (!found) throw new Error(`no SSM parameter ${name} in ${stack.stackName}: ${JSON.stringify(params)}`);
  return found[0];
}

/** Every template of the app, as text. */
function allTemplates(app: App): string {
  const assembly = app.synth();
  return assembly.stacks.map((s) => JSON.stringify(s.template)).join('\n');
}

/** A FailoverDns api.example.com over the plan's Regions (CNAME endpoints) in `stack`. */
function dnsInStack(stack: Stack, props: Partial<FailoverDnsProps> = {}, id = 'Dns'): FailoverDns {
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, `${id}Zone`, { hostedZoneId: ZONE_ID, zoneName: 'example.com' });
  return new FailoverDns(stack, id, {
    zone,
    recordName: 'api',
    endpoints: [PRIMARY, SECONDARY].map((region) => ({ region, domainName: `${region}.origin.example.net` })),
    ...props,
  });
}

/** A new stack of `app` in us-east-1. */
function stackIn(app: App, id: string): Stack {
  return new Stack(app, id, { env: { account: ACCOUNT, region: PRIMARY } });
}

/** A plan and a FailoverDns (in its own stack), the step added, not wired yet. */
function planAndDns(props: Partial<RegionSwitchPlanProps> = {}) {
  const { app, stack, plan } = setup(props);
  const dns = dnsIn(app);
  return { app, planStack: stack, plan, dns };
}

/** `{ Ref: <logical id> }` of a health check this app created. */
function ref(h: route53.IHealthCheck): { Ref: string } {
  return { Ref: Stack.of(h).resolve((h.node.defaultChild as route53.CfnHealthCheck).logicalId) };
}

/** A CALCULATED check's status: healthy while at least HealthThreshold children are (API_HealthCheckConfig). */
function calculatedHealthy(config: any, childHealthy: (child: any) => boolean): boolean {
  return config.ChildHealthChecks.filter(childHealthy).length >= config.HealthThreshold;
}

describe('FailoverDns.useRegionSwitchPlan: the plan\'s health checks on the records', () => {
  test('the PRIMARY record gets a CALCULATED check of its endpoint check and the plan\'s, read from SSM; the SECONDARY keeps its own', () => {
    const { planStack, plan, dns } = planAndDns();
    plan.addStep(plan.failoverDnsStep(dns));
    dns.useRegionSwitchPlan(plan);
    const stack = dns.stack;
    const param = ssmParameter(stack, PARAM(PRIMARY));
    expect(() => ssmParameter(stack, PARAM(SECONDARY))).toThrow();
    const calc = calculated(stack);
    expect(calc).toHaveLength(1);
    const [calcId, calcCheck] = calc[0];
    const primaryCheck = ref(dns.endpointRecord(PRIMARY).endpointHealthCheck!);
    const secondaryCheck = ref(dns.endpointRecord(SECONDARY).endpointHealthCheck!);
    expect(calcCheck.Properties.HealthCheckConfig).toEqual({
      Type: 'CALCULATED',
      ChildHealthChecks: [primaryCheck, { Ref: param }],
      HealthThreshold: 2,
      Inverted: false,
    });
    const byRole = (role: string) => records(stack).filter((r) => r.Failover === role);
    expect(byRole('PRIMARY').map((r) => r.HealthCheckId)).toEqual([{ Ref: calcId }]);
    expect(byRole('SECONDARY').map((r) => r.HealthCheckId)).toEqual([secondaryCheck]);
    expect(dns.endpointRecord(PRIMARY).regionSwitchHealthCheck).toBeDefined();
    expect(dns.endpointRecord(SECONDARY).regionSwitchHealthCheck).toBeUndefined();
    // Deploy order only: the records' stack after the plan's (which writes the parameter).
    expect(stack.dependencies).toContain(planStack);
  });

  test('the record\'s own failover still works without the plan: with the plan\'s check in its start state the record is as healthy as its endpoint', () => {
    const { plan, dns } = planAndDns();
    plan.addStep(plan.failoverDnsStep(dns));
    dns.useRegionSwitchPlan(plan);
    const [, calcCheck] = calculated(dns.stack)[0];
    const config = calcCheck.Properties.HealthCheckConfig;
    const endpoint = ref(dns.endpointRecord(PRIMARY).endpointHealthCheck!);
    // The endpoint's check is a child, the threshold is every child, not inverted: any unhealthy child makes the record unhealthy.
    expect(config.ChildHealthChecks).toContainEqual(endpoint);
    expect(config.HealthThreshold).toBe(config.ChildHealthChecks.length);
    expect(config.Inverted).toBe(false);
    // "For active/passive: the primary Region's health check starts healthy" (route53-health-check-block.html).
    const isEndpoint = (c: any) => JSON.stringify(c) === JSON.stringify(endpoint);
    for (const endpointHealthy of [true, false]) {
      // Every other child is the plan's check, healthy in its start state.
      expect(calculatedHealthy(config, (c) => (isEndpoint(c) ? endpointHealthy : true))).toBe(endpointHealthy);
    }
  });

  test('no CloudFormation export and no cross-Region reference, also with the plan in another Region', () => {
    const { app, stack: planStack, plan } = setup({}, SECONDARY);
    const dns = dnsIn(app);
    plan.addStep(plan.failoverDnsStep(dns));
    dns.useRegionSwitchPlan(plan);
    expect(dns.stack.dependencies).toContain(planStack);
    const text = allTemplates(app);
    expect(text).not.toContain('Fn::ImportValue');
    expect(text).not.toContain('Export');
    expect(text).not.toMatch(/CrossRegion|ExportsWriter|ExportsReader/);
  });

  test('in the plan\'s own stack the id is the plan\'s attribute itself (a parameter would be read before the plan exists)', () => {
    const { stack, plan } = setup();
    const dns = dnsInStack(stack);
    plan.addStep(plan.failoverDnsStep(dns));
    dns.useRegionSwitchPlan(plan);
    const params = Object.values(Template.fromStack(stack).toJSON().Parameters ?? {}) as any[];
    expect(params.filter((p) => String(p.Default).startsWith('/cdk-multi-region-failover/'))).toEqual([]);
    const [, calcCheck] = calculated(stack)[0];
    const planChild = calcCheck.Properties.HealthCheckConfig.ChildHealthChecks[1];
    expect(JSON.stringify(planChild)).toContain('PlanHealthChecks');
    expect(JSON.stringify(planChild)).toContain(':api.example.com:us-east-1:');
    expect(stack.dependencies).toEqual([]);
  });

  test('with ARC routing controls: one CALCULATED check of the endpoint, the routing control and the plan, HealthThreshold 3', () => {
    const { app, plan } = setup();
    const stack = stackIn(app, 'Arc');
    const rc = (n: string) => `arn:aws:route53-recovery-control::${ACCOUNT}:controlpanel/abc/routingcontrol/${n}`;
    const dns = dnsInStack(stack, { recoveryControl: { existingRoutingControlArns: [rc('one'), rc('two')] } });
    plan.addStep(plan.failoverDnsStep(dns));
    dns.useRegionSwitchPlan(plan);
    const record = dns.endpointRecord(PRIMARY);
    const combined = ref(record.regionSwitchHealthCheck!);
    expect(healthChecks(stack)[combined.Ref].Properties.HealthCheckConfig).toEqual({
      Type: 'CALCULATED',
      ChildHealthChecks: [ref(record.endpointHealthCheck!), ref(record.routingControlHealthCheck!), { Ref: ssmParameter(stack, PARAM(PRIMARY)) }],
      HealthThreshold: 3,
      Inverted: false,
    });
    expect(records(stack).filter((r) => r.Failover === 'PRIMARY').map((r) => r.HealthCheckId)).toEqual([combined]);
  });

  test('latency routing with an active/active plan: every record gets its Region\'s plan check', () => {
    const { app, plan } = setup({ recoveryApproach: RecoveryApproach.ACTIVE_ACTIVE });
    const stack = stackIn(app, 'Latency');
    const dns = dnsInStack(stack, { routing: FailoverRouting.LATENCY });
    plan.addStep(plan.failoverDnsStep(dns), { action: WorkflowAction.DEACTIVATE });
    dns.useRegionSwitchPlan(plan);
    const calc = calculated(stack);
    expect(calc).toHaveLength(2);
    for (const region of [PRIMARY, SECONDARY]) {
      const combined = ref(dns.endpointRecord(region).regionSwitchHealthCheck!);
      const config = healthChecks(stack)[combined.Ref].Properties.HealthCheckConfig;
      expect(config.ChildHealthChecks[1]).toEqual({ Ref: ssmParameter(stack, PARAM(region)) });
      expect(config.HealthThreshold).toBe(2);
      expect(records(stack).filter((r) => r.Region === region).map((r) => r.HealthCheckId)).toEqual([combined]);
    }
  });

  test('cdk-nag finds nothing unsuppressed in the records\' stack and the plan\'s', () => {
    const { app, stack: planStack, plan } = setup({}, SECONDARY);
    const dns = dnsIn(app);
    plan.addStep(plan.failoverDnsStep(dns));
    dns.useRegionSwitchPlan(plan);
    expect(nagErrors(dns.stack)).toEqual([]);
    expect(nagErrors(planStack)).toEqual([]);
  });
});

describe('MultiRegionApi.useRegionSwitchPlan', () => {
  function apiWithPlan(planRegion = PRIMARY) {
    const { app, stack, plan } = setup({}, planRegion);
    const api = new MultiRegionApi(app, 'Api', {
      account: ACCOUNT, regions: [PRIMARY, SECONDARY], hostedZoneId: ZONE_ID, zoneName: 'example.com', recordName: 'api', authorization: ApiAuthorization.none(),
    });
    plan.addStep(plan.multiRegionApiStep(api));
    api.useRegionSwitchPlan(plan);
    return { app, planStack: stack, plan, api };
  }

  test('the primary region\'s PRIMARY record gets the CALCULATED check, read from SSM in its own region; the secondary keeps its own', () => {
    const { planStack, api } = apiWithPlan(SECONDARY);
    const [primary, secondary] = api.regionalApiStacks;
    const calc = calculated(primary);
    expect(calc).toHaveLength(1);
    const endpoint = api.region(PRIMARY).endpointRecord.endpointHealthCheck!;
    expect(calc[0][1].Properties.HealthCheckConfig).toEqual({
      Type: 'CALCULATED',
      ChildHealthChecks: [ref(endpoint), { Ref: ssmParameter(primary, PARAM(PRIMARY)) }],
      HealthThreshold: 2,
      Inverted: false,
    });
    expect(records(primary).filter((r) => r.Failover === 'PRIMARY').map((r) => r.HealthCheckId)).toEqual([{ Ref: calc[0][0] }]);
    expect(calculated(secondary)).toHaveLength(0);
    expect(primary.dependencies).toContain(planStack);
    // The us-east-1 alarms still watch the endpoint's own check (published before the plan was wired).
    expect(api.region(PRIMARY).endpointRecord.healthCheck).toBe(endpoint);
  });

  test('no CloudFormation export and no cross-Region reference', () => {
    const { app } = apiWithPlan(SECONDARY);
    const text = allTemplates(app);
    expect(text).not.toContain('Fn::ImportValue');
    expect(text).not.toMatch(/CrossRegion|ExportsWriter|ExportsReader/);
  });
});

describe('useRegionSwitchPlan: bad input', () => {
  test('a plan over another Region pair', () => {
    const { plan, dns } = planAndDns({ regions: [PRIMARY, 'eu-west-1'] });
    expect(failureMessage(() => dns.useRegionSwitchPlan(plan))).toBe(
      '`plan` (RegionSwitchPlan Plan/Plan) must be over the Regions of FailoverDns Dns/Api (us-east-1, us-west-2), got one over us-east-1, eu-west-1: '
      + 'a Region switch plan acts on the records of its own Region pair');
  });

  test('a plan without a Route 53 step for the record', () => {
    const { plan, dns } = planAndDns();
    expect(failureMessage(() => dns.useRegionSwitchPlan(plan))).toBe(
      '`plan` (RegionSwitchPlan Plan/Plan) must have a Route 53 step for api.example.com of FailoverDns Dns/Api '
      + '(`plan.addStep(plan.failoverDnsStep(...))` or `plan.multiRegionApiStep(...)`), got steps for: none');
  });

  test('called twice', () => {
    const { plan, dns } = planAndDns();
    plan.addStep(plan.failoverDnsStep(dns));
    dns.useRegionSwitchPlan(plan);
    expect(failureMessage(() => dns.useRegionSwitchPlan(plan))).toBe(
      '`useRegionSwitchPlan` must be called once on FailoverDns Dns/Api, got a second call (plans Plan/Plan and Plan/Plan)');
  });

  test('called twice on a MultiRegionApi', () => {
    const { app, plan } = setup();
    const api = new MultiRegionApi(app, 'Api', {
      account: ACCOUNT, regions: [PRIMARY, SECONDARY], hostedZoneId: ZONE_ID, zoneName: 'example.com', recordName: 'api', authorization: ApiAuthorization.none(),
    });
    plan.addStep(plan.multiRegionApiStep(api));
    api.useRegionSwitchPlan(plan);
    expect(failureMessage(() => api.useRegionSwitchPlan(plan))).toBe(
      '`useRegionSwitchPlan` must be called once on MultiRegionApi Api, got a second call (plans Plan/Plan and Plan/Plan)');
  });

  test('latency records with an active/passive plan', () => {
    const { app, plan } = setup();
    const stack = stackIn(app, 'Latency');
    const dns = dnsInStack(stack, { routing: FailoverRouting.LATENCY });
    plan.addStep(plan.failoverDnsStep(dns));
    expect(failureMessage(() => dns.useRegionSwitchPlan(plan))).toBe(
      '`plan` (RegionSwitchPlan Plan/Plan) must be active/active for the latency records of FailoverDns Latency/Dns, got an active/passive plan: '
      + 'its check of the passive Region starts unhealthy, so when the primary fails no record is healthy and Route 53 answers as if all were; '
      + 'use `routing: FailoverRouting.FAILOVER`, or `recoveryApproach: RecoveryApproach.ACTIVE_ACTIVE`');
  });

  test('a step that does not publish its ids, for records in another stack', () => {
    const { plan, dns } = planAndDns();
    plan.addStep(plan.failoverDnsStep(dns, { publishHealthCheckIds: false }));
    expect(failureMessage(() => dns.useRegionSwitchPlan(plan))).toBe(
      '`publishHealthCheckIds` of the Route 53 step dns-api-example-com of plan orders must be true when the records are in another stack than the plan, '
      + 'got false (records of api.example.com in Dns)');
  });

  test('a step the records use but no workflow holds fails synthesis', () => {
    const { app, plan, dns } = planAndDns();
    plan.failoverDnsStep(dns);
    dns.useRegionSwitchPlan(plan);
    expect(() => app.synth()).toThrow(
      'RegionSwitchPlan orders: records use the health checks of the Route 53 step dns-api-example-com, but the step is in no workflow: '
      + 'add it with `addStep` (the plan creates a step\'s health checks only when it holds the step)');
  });

  test('FailoverEndpointRecord: not on the last endpoint of a failover chain, not twice, not without a check of its own', () => {
    const stack = stackIn(new App(), 'S');
    const dns = dnsInStack(stack);
    expect(failureMessage(() => dns.endpointRecord(SECONDARY).addRegionSwitchHealthCheck('hc-2'))).toBe(
      'endpoint us-west-2 of api.example.com must not get a Region switch plan\'s health check, got the last endpoint of the failover chain: its SECONDARY '
      + 'record keeps its own check (when the SECONDARY is unhealthy Route 53 answers with the PRIMARY, and the plan\'s check of the passive Region starts unhealthy)');
    dns.endpointRecord(PRIMARY).addRegionSwitchHealthCheck('hc-1');
    expect(failureMessage(() => dns.endpointRecord(PRIMARY).addRegionSwitchHealthCheck('hc-1'))).toBe(
      'endpoint us-east-1 of api.example.com already has a Region switch plan\'s health check: `addRegionSwitchHealthCheck` must be called once, got a second call');
    const alias = dnsInStack(stack, {
      recordName: 'www',
      endpoints: [PRIMARY, SECONDARY].map((region) => ({
        region, evaluateTargetHealthOnly: true, target: route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: `${region}.elb.amazonaws.com`, hostedZoneId: 'Z35SXDOTRQ7X7K' }) }),
      })),
    }, 'Alias');
    expect(failureMessage(() => alias.endpointRecord(PRIMARY).addRegionSwitchHealthCheck('hc-3'))).toBe(
      'endpoint us-east-1 of www.example.com must have a health check of its own to combine with the plan\'s, got `evaluateTargetHealthOnly`');
  });
});
