import { App, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FailoverDns, FailoverDnsProps, FailoverEndpoint, FailoverErrors } from '../../src';
import { nagErrors } from '../util/nag';

// Route 53 ARC's recovery-control configuration API (clusters, control panels, routing controls, safety rules)
// is served from us-west-2 only: https://docs.aws.amazon.com/recovery-cluster/latest/api/examples-cli-control.html

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

function stackIn(region?: string) {
  const app = new App();
  const stack = new Stack(app, 'Dns', region ? { env: { account: '111111111111', region } } : {});
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  return { stack, zone };
}

function cnameEndpoints(n: number): FailoverEndpoint[] {
  return REGIONS.slice(0, n).map((region) => ({ region, domainName: `${region}.origin.example.net` }));
}

/** `region` null: a region-agnostic stack. */
function build(props: Partial<FailoverDnsProps>, region: string | null = 'us-west-2') {
  const { stack, zone } = stackIn(region ?? undefined);
  const dns = new FailoverDns(stack, 'Api', { zone, recordName: 'api', endpoints: cnameEndpoints(2), ...props });
  return { stack, zone, dns };
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(FailoverErrors.isFailoverError(e)).toBe(true);
    return e as Error;
  }
  throw new Error('expected a MultiRegionFailoverError, nothing was thrown');
}

const ARC_REGION_ERROR = (got: string) =>
  `FailoverDns with \`recoveryControl\` must be in a us-west-2 stack, got: ${got}. `
  + 'The Route 53 ARC configuration API (clusters, control panels, routing controls, safety rules) is served from us-west-2 only. '
  + 'Put the FailoverDns in a us-west-2 stack (Route 53 records and health checks are global and work from a stack in any region), '
  + 'or create the routing controls in a us-west-2 stack and pass their ARNs, one per endpoint in endpoint order, '
  + 'in `recoveryControl.existingRoutingControlArns`';

const ARNS = [
  'arn:aws:route53-recovery-control::111111111111:controlpanel/0123456789abcdef/routingcontrol/aaaaaaaaaaaaaaaa',
  'arn:aws:route53-recovery-control::111111111111:controlpanel/0123456789abcdef/routingcontrol/bbbbbbbbbbbbbbbb',
  'arn:aws:route53-recovery-control::111111111111:controlpanel/0123456789abcdef/routingcontrol/cccccccccccccccc',
];

describe('FailoverDns Route 53 ARC: created in a us-west-2 stack', () => {
  test('absent unless asked', () => {
    const { stack } = build({}, 'us-east-1');
    const t = Template.fromStack(stack);
    for (const type of ['Cluster', 'ControlPanel', 'RoutingControl', 'SafetyRule']) {
      t.resourceCountIs(`AWS::Route53RecoveryControl::${type}`, 0);
    }
  });

  test('cluster, control panel, a routing control per endpoint, a safety rule, combined health checks', () => {
    const { stack, dns } = build({ endpoints: cnameEndpoints(3), recoveryControl: {} });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Route53RecoveryControl::Cluster', 1);
    t.resourceCountIs('AWS::Route53RecoveryControl::ControlPanel', 1);
    t.resourceCountIs('AWS::Route53RecoveryControl::RoutingControl', 3);
    t.hasResourceProperties('AWS::Route53RecoveryControl::SafetyRule', {
      RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
      AssertionRule: { WaitPeriodMs: 5000, AssertedControls: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('RoutingControluseast1'), 'RoutingControlArn'] }]) },
    });
    t.resourceCountIs('AWS::Route53::HealthCheck', 9); // endpoint + routing control + calculated, × 3
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'RECOVERY_CONTROL', RoutingControlArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RoutingControleuwest1'), 'RoutingControlArn'] } },
    });
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'CALCULATED', HealthThreshold: 2, ChildHealthChecks: [{ Ref: Match.stringLikeRegexp('useast1HealthCheck') }, { Ref: Match.stringLikeRegexp('useast1RoutingControlHealthCheck') }] },
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', SetIdentifier: 'us-east-1', HealthCheckId: { Ref: Match.stringLikeRegexp('useast1CombinedHealthCheck') } });
    expect(dns.routingControls).toHaveLength(3);
    expect(dns.routingControlArns.map((a) => stack.resolve(a))).toEqual(
      ['useast1', 'uswest2', 'euwest1'].map((r) => ({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`RoutingControl${r}`)), 'RoutingControlArn'] })));
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Dns/Api', Match.stringLikeRegexp('routing controls are created Off'));
    // The trade-off of a us-west-2 stack: HealthCheckStatus alarms need us-east-1.
    annotations.hasWarning('/Dns/Api/us-east-1', Match.stringLikeRegexp('Route 53 publishes `HealthCheckStatus` in us-east-1 only'));
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('an existing cluster is reused, and alias-only endpoints are gated by the routing control alone', () => {
    const { stack, zone } = stackIn('us-west-2');
    const target = route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: 'x.example.net', hostedZoneId: 'Z2' }) });
    const arn = 'arn:aws:route53-recovery-control::111111111111:cluster/abc';
    const dns = new FailoverDns(stack, 'Site', {
      zone,
      recordName: 'www',
      recoveryControl: { existingClusterArn: arn, name: 'site' },
      endpoints: [{ region: 'us-east-1', target, evaluateTargetHealthOnly: true }, { region: 'us-west-2', target, evaluateTargetHealthOnly: true }],
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Route53RecoveryControl::Cluster', 0);
    t.hasResourceProperties('AWS::Route53RecoveryControl::ControlPanel', { ClusterArn: arn, Name: 'site' });
    t.resourceCountIs('AWS::Route53::HealthCheck', 2);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'A', Failover: 'PRIMARY', HealthCheckId: { Ref: Match.stringLikeRegexp('RoutingControlHealthCheck') } });
    expect(dns.recoveryControlClusterArn).toBe(arn);
    expect(dns.recoveryControlCluster).toBeUndefined();
  });

  test('cdk-nag AwsSolutions: no unsuppressed errors (ARC in us-west-2, alarms in a topic)', () => {
    const { stack, zone } = stackIn('us-west-2');
    const masterKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true, masterKey });
    new FailoverDns(stack, 'Api', { zone, recordName: 'api', endpoints: cnameEndpoints(3), recoveryControl: {}, alarmTopic: topic });
    expect(nagErrors(stack)).toEqual([]);
  });
});

describe('FailoverDns Route 53 ARC outside us-west-2', () => {
  test.each(['us-east-1', 'eu-west-1'])('creating ARC resources in a %s stack is refused, naming us-west-2 and what to do', (region) => {
    expect(errorOf(() => build({ recoveryControl: {} }, region)).message).toBe(ARC_REGION_ERROR(region));
  });

  test('an existing cluster does not help: the control panel and routing controls are still created here', () => {
    const existingClusterArn = 'arn:aws:route53-recovery-control::111111111111:cluster/abc';
    expect(errorOf(() => build({ recoveryControl: { existingClusterArn } }, 'us-east-1')).message).toBe(ARC_REGION_ERROR('us-east-1'));
  });

  test('a region-agnostic stack is refused too', () => {
    expect(errorOf(() => build({ recoveryControl: {} }, null)).message).toBe(ARC_REGION_ERROR('a region-agnostic stack'));
  });

  test('existing routing controls: no ARC resource, only RECOVERY_CONTROL health checks, alarms in us-east-1', () => {
    const { stack, dns } = build({ endpoints: cnameEndpoints(3), recoveryControl: { existingRoutingControlArns: ARNS } }, 'us-east-1');
    const t = Template.fromStack(stack);
    for (const type of ['Cluster', 'ControlPanel', 'RoutingControl', 'SafetyRule']) {
      t.resourceCountIs(`AWS::Route53RecoveryControl::${type}`, 0);
    }
    t.resourceCountIs('AWS::Route53::HealthCheck', 9);
    REGIONS.forEach((region, i) => {
      t.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'RECOVERY_CONTROL', RoutingControlArn: ARNS[i] } });
      expect(stack.resolve(dns.endpointRecord(region).routingControlHealthCheck!.healthCheckId))
        .toEqual({ Ref: expect.stringMatching(new RegExp(`${region.replace(/-/g, '')}RoutingControlHealthCheck`)) });
    });
    t.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'RECOVERY_CONTROL', RoutingControlArn: ARNS[1] } });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    expect(dns.routingControlArns).toEqual(ARNS);
    expect(dns.routingControls).toEqual([]);
    expect(dns.controlPanel).toBeUndefined();
    expect(dns.safetyRule).toBeUndefined();
    expect(dns.recoveryControlClusterArn).toBeUndefined();
    Annotations.fromStack(stack).hasNoWarning('/Dns/Api', Match.stringLikeRegexp('routing controls are created Off'));
  });

  test('existing routing control ARNs may be tokens (e.g. a cross-region reference): they are checked at deploy time', () => {
    const token = Token.asString({ Ref: 'RoutingControlArn' });
    const { stack } = build({ recoveryControl: { existingRoutingControlArns: [token, ARNS[1]] } }, 'us-east-1');
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'RECOVERY_CONTROL', RoutingControlArn: { Ref: 'RoutingControlArn' } } });
  });

  test('existing routing controls also work from a region-agnostic stack', () => {
    const { stack } = build({ recoveryControl: { existingRoutingControlArns: ARNS.slice(0, 2) } }, null);
    Template.fromStack(stack).resourceCountIs('AWS::Route53RecoveryControl::RoutingControl', 0);
  });

  test.each<[string, object, string]>([
    ['one ARN for two endpoints', { existingRoutingControlArns: ARNS.slice(0, 1) },
      '`recoveryControl.existingRoutingControlArns` must hold one routing control ARN per endpoint, in endpoint order (2), got: 1'],
    ['the same ARN twice', { existingRoutingControlArns: [ARNS[0], ARNS[0]] },
      `\`recoveryControl.existingRoutingControlArns\` must not repeat an ARN, got ${ARNS[0]} twice`],
    ['a cluster ARN', { existingRoutingControlArns: [ARNS[0], 'arn:aws:route53-recovery-control::111111111111:cluster/abc'] },
      '`recoveryControl.existingRoutingControlArns` must hold routing control ARNs (arn:<partition>:route53-recovery-control::<account>:controlpanel/<id>/routingcontrol/<id>), got: arn:aws:route53-recovery-control::111111111111:cluster/abc'],
    ['existing ARNs with a cluster', { existingRoutingControlArns: ARNS.slice(0, 2), existingClusterArn: 'arn:aws:route53-recovery-control::111111111111:cluster/abc' },
      '`recoveryControl.existingRoutingControlArns` creates no ARC resource, so `existingClusterArn`, `name` and `safetyRuleWaitPeriod` do not apply, got: existingClusterArn'],
    ['existing ARNs with a name', { existingRoutingControlArns: ARNS.slice(0, 2), name: 'x' },
      '`recoveryControl.existingRoutingControlArns` creates no ARC resource, so `existingClusterArn`, `name` and `safetyRuleWaitPeriod` do not apply, got: name'],
    ['a bad ARC name', { name: 'has space' }, '`recoveryControl.name` must be 1 to 64 letters, digits, "-" or "_", got: has space'],
  ])('%s', (_name, recoveryControl: { existingRoutingControlArns?: string[] }, message) => {
    expect(errorOf(() => build({ recoveryControl }, recoveryControl.existingRoutingControlArns ? 'us-east-1' : 'us-west-2')).message).toBe(message);
  });
});
