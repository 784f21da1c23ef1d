import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { BodyWidget, dashboardBody } from './helpers';
import { AuroraGlobalFailover } from '../../src/aurora-global-failover';
import { FailoverDashboard } from '../../src/failover-dashboard';
import { FailoverDns } from '../../src/failover-dns';
import { GlobalCache } from '../../src/global-cache';
import { GlobalSsrSite } from '../../src/global-ssr-site';
import { ApiAuthorization, MultiRegionApi } from '../../src/multi-region-api';
import { RdsCrossRegionReplica } from '../../src/rds-cross-region-replica';
import { RegionalService } from '../../src/regional-service';
import { nagErrors } from '../util/nag';

const ACCOUNT = '111111111111';
const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' };
const REGIONS = ['us-east-1', 'us-west-2'];

function service(app: App): RegionalService {
  return new RegionalService(app, 'Web', {
    account: ACCOUNT, regions: REGIONS, ...ZONE, domainName: 'app.example.com', image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
  });
}

const widget = (body: BodyWidget[], title: string) => {
  const found = body.find((w) => w.title === title);
  if (!found) throw new Error(`no widget "${title}" in: ${body.map((w) => w.title ?? w.type).join(' | ')}`);
  return found;
};

describe('FailoverDashboard over every construct (no cross-region references)', () => {
  let dashboard: FailoverDashboard;
  let body: BodyWidget[];
  let web: RegionalService;
  let dns: FailoverDns;
  beforeAll(() => {
    const app = new App();
    web = service(app);
    const dnsStack = new Stack(app, 'Dns', { env: { account: ACCOUNT, region: 'us-east-1' } });
    dns = new FailoverDns(dnsStack, 'AppDns', {
      zone: route53.HostedZone.fromHostedZoneAttributes(dnsStack, 'Zone', ZONE),
      recordName: web.domainName,
      endpoints: web.failoverEndpoints(),
      recordTypes: [route53.RecordType.A],
    });
    const api = new MultiRegionApi(app, 'Api', { account: ACCOUNT, regions: REGIONS, ...ZONE, recordName: 'api', authorization: ApiAuthorization.none() });
    const aurora = new AuroraGlobalFailover(app, 'Orders', { account: ACCOUNT, regions: REGIONS, globalClusterIdentifier: 'orders' });
    const cache = new GlobalCache(app, 'Sessions', { account: ACCOUNT, regions: REGIONS, cacheName: 'sessions' });
    const rds = new RdsCrossRegionReplica(app, 'Ledger', { account: ACCOUNT, regions: REGIONS, instanceIdentifier: 'ledger' });
    dashboard = new FailoverDashboard(app, 'Dashboard', { account: ACCOUNT });
    dashboard.addRegionalService(web);
    dashboard.addFailoverDns(dns);
    dashboard.addMultiRegionApi(api);
    dashboard.addAuroraGlobalFailover(aurora);
    dashboard.addGlobalCache(cache);
    dashboard.addRdsCrossRegionReplica(rds);
    body = dashboardBody(dashboard);
  });

  test('the dashboard lives in its own us-east-1 stack', () => {
    expect(`${dashboard.stack.stackName} ${dashboard.stack.region}`).toBe('failover-dashboard-us-east-1 us-east-1');
  });

  test('each construct starts with a text widget that carries its recovery estimate', () => {
    const texts = body.filter((w) => w.type === 'text').map((w) => w.markdown!);
    expect(texts.map((t) => t.split('\n')[0])).toEqual([
      '## RegionalService app.example.com',
      '## FailoverDns app.example.com',
      '## MultiRegionApi api.example.com',
      '## AuroraGlobalFailover orders',
      '## GlobalCache sessions',
      '## RdsCrossRegionReplica ledger',
    ]);
    expect(texts[0]).toContain(`**Failover (EvaluateTargetHealth)**: ${web.recoveryEstimate.explanation}`);
    expect(texts[1]).toContain(`**Failover**: ${dns.recoveryEstimate.explanation}`);
  });

  test('health check status per endpoint, in us-east-1 (where Route 53 publishes it)', () => {
    for (const region of REGIONS) {
      const w = widget(body, `HealthCheckStatus ${region}`);
      expect(w.region).toBe('us-east-1');
      expect(w.metrics).toEqual(['AWS/Route53 HealthCheckStatus HealthCheckId=<T> @us-east-1']);
    }
  });

  test('replication lag widgets carry the secondary\'s region and name the member by its identifier', () => {
    expect(widget(body, 'Aurora replication us-west-2')).toMatchObject({
      region: 'us-west-2',
      metrics: ['AWS/RDS AuroraGlobalDBReplicationLag DBClusterIdentifier=orders-us-west-2 @us-west-2', 'AWS/RDS AuroraGlobalDBRPOLag DBClusterIdentifier=orders-us-west-2 @us-west-2'],
    });
    expect(widget(body, 'RDS ReplicaLag us-west-2')).toMatchObject({ region: 'us-west-2', metrics: [expect.stringMatching(/^AWS\/RDS ReplicaLag DBInstanceIdentifier=ledger/)] });
    const cacheLag = widget(body, 'ElastiCache GlobalDatastoreReplicationLag us-west-2');
    expect(cacheLag.region).toBe('us-west-2');
    expect(cacheLag.metrics.some((m) => m.startsWith('AWS/ElastiCache GlobalDatastoreReplicationLag CacheClusterId=sessions-us-west-2'))).toBe(true);
  });

  test('every metric carries the region of its widget', () => {
    const metrics = body.filter((w) => w.type === 'metric' && w.metrics.length > 0);
    expect(metrics.length).toBeGreaterThan(10);
    for (const w of metrics) {
      for (const m of w.metrics.filter((x) => !x.startsWith('expr:'))) {
        expect(`${w.title}: ${m}`).toMatch(new RegExp(` @${w.region}$`));
      }
    }
  });

  test('DynamoDB ReplicationLatency from each region to the other, in the sending region', () => {
    const dynamo = body.filter((w) => w.title?.startsWith('DynamoDB ReplicationLatency'));
    expect(dynamo.map((w) => [w.region, ...w.metrics])).toEqual([
      ['us-east-1', 'AWS/DynamoDB ReplicationLatency ReceivingRegion=us-west-2 TableName=api-example-com-table @us-east-1'],
      ['us-west-2', 'AWS/DynamoDB ReplicationLatency ReceivingRegion=us-east-1 TableName=api-example-com-table @us-west-2'],
    ]);
  });

  test('state machines of other regions are shown by name: StateMachineArn built from the literal stateMachineName, in their region', () => {
    const arn = (name: string) => `arn:<T>:states:us-west-2:${ACCOUNT}:stateMachine:${name}`;
    const executions = (name: string) => ['Started', 'Succeeded', 'Failed'].map((m) => `AWS/States Executions${m} StateMachineArn=${arn(name)} @us-west-2`);
    expect(widget(body, 'Failover executions us-west-2')).toMatchObject({ region: 'us-west-2', metrics: executions('orders-failover') });
    expect(body.filter((w) => w.title === 'Promotion executions us-west-2').map((w) => [w.region, ...w.metrics])).toEqual([
      ['us-west-2', ...executions('sessions-promote')],
      ['us-west-2', ...executions('ledger-promote-replica')],
    ]);
  });

  test('API Gateway 5XXError of another region, by the literal REST API name (ApiName)', () => {
    expect(widget(body, 'API Gateway 5XXError us-west-2')).toMatchObject({
      region: 'us-west-2', metrics: ['AWS/ApiGateway 5XXError ApiName=api-example-com-api-us-west-2 Stage=prod @us-west-2'],
    });
  });

  test('only what has no deterministic name stays skipped: generated alarm names, load balancers, Route 53 health check ids', () => {
    expect(dashboard.skippedWidgets).toEqual([
      'Healthy tasks and ALB 5xx us-west-2 (app-example-com-svc-us-west-2, us-west-2)',
      'alarm Web/us-west-2/NoHealthyTaskAlarm (app-example-com-svc-us-west-2, us-west-2)',
      'HealthCheckStatus us-west-2 (api-example-com-api-us-west-2, us-west-2)',
      'alarm Api/us-west-2/ServerErrorAlarm (api-example-com-api-us-west-2, us-west-2)',
      'alarm Orders/us-west-2/ReplicationLagAlarm (orders-db-us-west-2, us-west-2)',
      'alarm Orders/us-west-2/RpoLagAlarm (orders-db-us-west-2, us-west-2)',
      'alarm Sessions/us-west-2/ReplicationLagAlarm (sessions-cache-us-west-2, us-west-2)',
      'alarm Ledger/us-west-2/ReplicaLagAlarm (ledger-db-us-west-2, us-west-2)',
      'alarm Ledger/us-west-2/ReplicationNotActiveAlarm (ledger-db-us-west-2, us-west-2)',
    ]);
    expect(Annotations.fromStack(dashboard.stack).findWarning('*', Match.stringLikeRegexp('dashboard-cross-region')).map((w) => w.entry.data)).toEqual([
      'FailoverDashboard failover (us-east-1) leaves out widgets that reference resources of stacks in other regions by a name or id that '
      + 'CloudFormation or AWS generates (listed in `skippedWidgets`): give those resources physical names, or set `crossRegionReferences: true` '
      + 'to show them through CDK\'s SSM-based cross-region references [ack: cdk-multi-region-failover:dashboard-cross-region]',
    ]);
  });

  test('no cross-region reference: no us-west-2 stack exports anything, no SSM export writer or reader, and the app synthesizes', () => {
    const assembly = (dashboard.node.root as App).synth();
    const crossRegion = assembly.stacks.map((stack) => {
      const exports = Object.keys(stack.template.Outputs ?? {}).filter((id) => stack.template.Outputs[id].Export);
      const ssm = JSON.stringify(stack.template).includes('Custom::CrossRegionExport');
      return `${stack.stackName}: ${stack.environment.region === 'us-east-1' ? 'same region' : exports.length} ${ssm}`;
    });
    expect(crossRegion.filter((s) => !s.endsWith(': same region false') && !s.endsWith(': 0 false'))).toEqual([]);
    expect(crossRegion).toContain('orders-db-us-west-2: 0 false');
  });

  test('orchestrator executions and alarms of the dashboard\'s region; other regions\' stacks are left out with a warning', () => {
    expect(widget(body, 'Failover executions us-east-1')).toMatchObject({
      region: 'us-east-1',
      metrics: ['AWS/States ExecutionsStarted StateMachineArn=<T> @us-east-1', 'AWS/States ExecutionsSucceeded StateMachineArn=<T> @us-east-1', 'AWS/States ExecutionsFailed StateMachineArn=<T> @us-east-1'],
    });
    expect(widget(body, 'Healthy tasks and ALB 5xx us-east-1').metrics).toEqual([
      'AWS/ApplicationELB HealthyHostCount LoadBalancer=<T>/<T>/<T> TargetGroup=<T> @us-east-1',
      'AWS/ApplicationELB HTTPCode_ELB_5XX_Count LoadBalancer=<T> @us-east-1',
    ]);
    expect(body.find((w) => w.title === 'Healthy tasks and ALB 5xx us-west-2')).toBeUndefined();
    expect(dashboard.skippedWidgets).toContain('Healthy tasks and ALB 5xx us-west-2 (app-example-com-svc-us-west-2, us-west-2)');
    const alarms = widget(body, 'RegionalService app.example.com: alarms');
    expect(alarms.type).toBe('alarm');
    expect(alarms.alarms).toEqual(['<T>']);
  });
});

describe('FailoverDashboard over a GlobalSsrSite', () => {
  test('origin health checks, CloudFront 5xx rate, DynamoDB and S3 replication, both estimates', () => {
    const app = new App();
    const site = new GlobalSsrSite(app, 'Site', {
      account: ACCOUNT, primaryRegion: 'eu-west-1', drRegion: 'eu-central-1', domainName: 'www.example.com', ...ZONE, siteName: 'shop', replicationTimeControl: true,
    });
    const dashboard = new FailoverDashboard(app, 'Dashboard', { account: ACCOUNT });
    dashboard.addGlobalSsrSite(site);
    const body = dashboardBody(dashboard);
    expect(widget(body, 'CloudFront 5xxErrorRate')).toMatchObject({ region: 'us-east-1', metrics: ['AWS/CloudFront 5xxErrorRate DistributionId=<T> Region=Global @us-east-1'] });
    expect(widget(body, `S3 ReplicationLatency ${site.primaryBucketName} → ${site.drBucketName}`)).toMatchObject({
      region: 'eu-west-1',
      metrics: [`expr: SEARCH('{AWS/S3,DestinationBucket,RuleId,SourceBucket} MetricName="ReplicationLatency" SourceBucket="${site.primaryBucketName}" DestinationBucket="${site.drBucketName}"', 'Maximum', 60)`],
    });
    expect(body.filter((w) => w.title?.startsWith('DynamoDB ReplicationLatency')).map((w) => w.region)).toEqual(['eu-west-1', 'eu-central-1']);
    const text = body.find((w) => w.type === 'text')!.markdown!;
    expect(text).toContain(`**Writes**: ${site.recoveryEstimate.explanation}`);
    expect(text).toContain(`**Reads (per request)**: ${site.readRecoveryEstimate.explanation}`);
  });

  test('an alarm of another region with a literal alarmName is shown by its ARN (region and account in it), with no reference', () => {
    const app = new App();
    const site = new GlobalSsrSite(app, 'Site', {
      account: ACCOUNT, primaryRegion: 'eu-west-1', drRegion: 'eu-central-1', domainName: 'www.example.com', ...ZONE, siteName: 'shop',
    });
    const dashboard = new FailoverDashboard(app, 'Dashboard', { account: ACCOUNT });
    dashboard.addGlobalSsrSite(site);
    expect(nagErrors(dashboard.stack)).toEqual([]);
    const alarms = widget(dashboardBody(dashboard), 'GlobalSsrSite www.example.com: alarms');
    expect(alarms.alarms).toContain(`arn:<T>:cloudwatch:eu-central-1:${ACCOUNT}:alarm:shop-write-failover-reconciler-errors`);
    expect(dashboard.skippedWidgets.filter((w) => w.includes('WriteFailoverReconciler'))).toEqual([]);
    expect(Template.fromStack(site.drStack!).toJSON().Outputs ?? {}).toEqual({});
  });
});

describe('FailoverDashboard with crossRegionReferences', () => {
  test('every region\'s widgets are shown, each with its region', () => {
    const app = new App();
    const web = service(app);
    const dashboard = new FailoverDashboard(app, 'Dashboard', { account: ACCOUNT, crossRegionReferences: true, dashboardName: 'ops' });
    dashboard.addRegionalService(web);
    const body = dashboardBody(dashboard);
    expect(body.filter((w) => w.title?.startsWith('Healthy tasks')).map((w) => w.region)).toEqual(['us-east-1', 'us-west-2']);
    expect(dashboard.skippedWidgets).toEqual([]);
    expect(widget(body, 'RegionalService app.example.com: alarms').alarms).toEqual(['<T>', '<T>']);
  });

  test('with crossRegionReferences, resources with literal names are still shown by name (no SSM reference for them)', () => {
    const app = new App();
    const aurora = new AuroraGlobalFailover(app, 'Orders', { account: ACCOUNT, regions: REGIONS, globalClusterIdentifier: 'orders' });
    const dashboard = new FailoverDashboard(app, 'Dashboard', { account: ACCOUNT, crossRegionReferences: true });
    dashboard.addAuroraGlobalFailover(aurora);
    expect(widget(dashboardBody(dashboard), 'Failover executions us-west-2').metrics[0])
      .toBe(`AWS/States ExecutionsStarted StateMachineArn=arn:<T>:states:us-west-2:${ACCOUNT}:stateMachine:orders-failover @us-west-2`);
  });

  test('cdk-nag is clean in the dashboard stack and in a referenced stack, which gets CDK\'s cross-region export writer', () => {
    const app = new App();
    const web = service(app);
    const dashboard = new FailoverDashboard(app, 'Dashboard', { account: ACCOUNT, crossRegionReferences: true });
    dashboard.addRegionalService(web);
    expect(nagErrors(dashboard.stack)).toEqual([]);
    expect(nagErrors(web.stacks[1])).toEqual([]);
    Template.fromStack(web.stacks[1]).resourceCountIs('Custom::CrossRegionExportWriter', 1);
  });

  test.each<[string, () => void, string]>([
    ['a bad name', () => new FailoverDashboard(new App(), 'D', { account: ACCOUNT, dashboardName: 'my dashboard' }), '`dashboardName` must be 1 to 255 letters, digits, "-" or "_", got: my dashboard'],
    ['inside a stack', () => new FailoverDashboard(new Stack(new App(), 'S'), 'D', { account: ACCOUNT }), 'FailoverDashboard creates one Stack per region and must be created under an App or a Stage, not inside the Stack S'],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
