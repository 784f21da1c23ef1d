/**
 * The example app: every construct of the library in a two-region deployment
 * (dummy account 111111111111, us-east-1 primary, us-west-2 secondary).
 *
 * Synthesizes with no AWS credentials: explicit account and regions, no lookups.
 * `npx projen main` synthesizes it into ./cdk.out and prints a table (examples/main.ts).
 */
import { Annotations, App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import {
  ApiAuthorization, AuroraGlobalFailover, FailoverDashboard, FailoverDns, GlobalCache, GlobalSsrSite, MultiRegionApi, RdsCrossRegionReplica,
  RecoveryEstimate, RegionalApi, RegionalService, RegionSwitchPlan, SsrEdgeStack, SsrOriginStack,
} from '../src';
import { dbReaderCode } from './db-reader/code';

export const ACCOUNT = '111111111111';
export const PRIMARY_REGION = 'us-east-1';
export const SECONDARY_REGION = 'us-west-2';
export const ZONE = { hostedZoneId: 'Z0EXAMPLE0000000000', zoneName: 'example.com' };
/** The operations team's existing SNS topics, one per region: every construct sends its alarms there. */
export const ALARM_TOPICS = {
  [PRIMARY_REGION]: `arn:aws:sns:${PRIMARY_REGION}:${ACCOUNT}:ops-alarms`,
  [SECONDARY_REGION]: `arn:aws:sns:${SECONDARY_REGION}:${ACCOUNT}:ops-alarms`,
};

/** Builds the example app; `outdir` is where `app.synth()` writes the cloud assembly. */
export function buildApp(outdir: string): App {
  const app = new App({ outdir });

  // RegionalService: the same container on ECS Fargate behind an ALB in both regions (circuit breaker with rollback,
  // HTTPS with TLS 1.3/1.2, a name per region: us-east-1.www.example.com, us-west-2.www.example.com).
  const web = new RegionalService(app, 'ExampleWeb', {
    account: ACCOUNT,
    regions: [PRIMARY_REGION, SECONDARY_REGION],
    hostedZoneId: ZONE.hostedZoneId,
    zoneName: ZONE.zoneName,
    domainName: `www.${ZONE.zoneName}`,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
    containerPort: 80,
    healthCheckPath: '/',
    alarmTopicArns: ALARM_TOPICS,
  });

  // FailoverDns: health-checked Route 53 failover between the two regions' load balancers (www.example.com). It aliases
  // the regional names (no cross-region reference) and deploys after the service's stacks.
  const dnsStack = new Stack(app, 'ExampleFailoverDns', { env: { account: ACCOUNT, region: PRIMARY_REGION } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(dnsStack, 'Zone', ZONE);
  const dns = new FailoverDns(dnsStack, 'Dns', {
    zone,
    recordName: web.domainName,
    endpoints: web.failoverEndpoints(),
    recordTypes: [route53.RecordType.A],
    // Route 53 publishes HealthCheckStatus in us-east-1 only: the health check alarms live there.
    alarmTopicArns: { [PRIMARY_REGION]: ALARM_TOPICS[PRIMARY_REGION] },
  });
  web.stacks.forEach((stack) => dnsStack.addDependency(stack, 'the failover records alias the regional names'));

  // The same kind of service behind CloudFront failover (shop.example.com): the GlobalSsrSite edge building blocks over
  // the regional ALBs instead of SSR function URLs. `originProtection`: each ALB answers 403 unless CloudFront's secret
  // origin header is present, so CloudFront is the only way in.
  const shop = new RegionalService(app, 'ExampleShop', {
    account: ACCOUNT,
    regions: [PRIMARY_REGION, SECONDARY_REGION],
    hostedZoneId: ZONE.hostedZoneId,
    zoneName: ZONE.zoneName,
    domainName: `shop-origin.${ZONE.zoneName}`,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
    containerPort: 80,
    healthCheckPath: '/',
    originProtection: {},
    alarmTopicArns: ALARM_TOPICS,
  });
  buildShopEdge(app, shop);

  // GlobalSsrSite: CloudFront over SSR function URLs and S3 assets in both regions, app.example.com.
  const site = new GlobalSsrSite(app, 'ExampleSite', {
    account: ACCOUNT,
    primaryRegion: PRIMARY_REGION,
    drRegion: SECONDARY_REGION,
    domainName: `app.${ZONE.zoneName}`,
    hostedZoneId: ZONE.hostedZoneId,
    zoneName: ZONE.zoneName,
    alarmTopicArns: ALARM_TOPICS,
  });
  // A primary in us-east-1 puts the write-failover alarm path in the primary region: a trade-off taken knowingly
  // (README, "Warnings and `cdk synth --strict`"). Acknowledged, so that `cdk synth --strict` passes.
  Annotations.of(site).acknowledgeWarning('cdk-multi-region-failover:ssr-primary-in-us-east-1',
    'us-east-1 is the primary on purpose; the runbook sets the write flag by hand if us-east-1 fails');

  // AuroraGlobalFailover: Aurora PostgreSQL global database with an orchestrator in each region. Its VPCs (isolated
  // subnets, no NAT) get a DynamoDB gateway endpoint and a Secrets Manager interface endpoint for the API below.
  const db = new AuroraGlobalFailover(app, 'ExampleDatabase', {
    account: ACCOUNT,
    regions: [PRIMARY_REGION, SECONDARY_REGION],
    writerDnsRecord: { hostedZoneId: ZONE.hostedZoneId, recordName: `writer.db.${ZONE.zoneName}` },
    alarmTopicArns: ALARM_TOPICS,
  });

  // MultiRegionApi: REST API + Lambda + DynamoDB global table in both regions, failover CNAME api.example.com.
  // Its handler (examples/db-reader) reads the orders table of each region's Aurora cluster (the reader endpoint).
  const api = new MultiRegionApi(app, 'ExampleApi', {
    account: ACCOUNT,
    regions: [PRIMARY_REGION, SECONDARY_REGION],
    hostedZoneId: ZONE.hostedZoneId,
    zoneName: ZONE.zoneName,
    recordName: 'api',
    // Only users signed in to this Cognito user pool may call GET /orders/{id} (/health stays open for Route 53's
    // checkers). There is no implicit public API: that takes an explicit `ApiAuthorization.none()`.
    authorization: ApiAuthorization.cognito([`arn:aws:cognito-idp:${PRIMARY_REGION}:${ACCOUNT}:userpool/${PRIMARY_REGION}_Example1`]),
    cors: { allowOrigins: [`https://app.${ZONE.zoneName}`] },
    defaultRoutes: false,
    routes: [{ path: '/orders/{id}', methods: ['GET'] }],
    // Each region's handler and health function run in that region's database VPC.
    handler: { code: dbReaderCode(), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X, vpcProvider: db.vpcProvider },
    // The RTO objective is checked against the budget (worst case under the stated assumptions), not the
    // typical figure. No RPO objective: a two-region global table replicates asynchronously, so its RPO is
    // unbounded (typically about a second); only `MultiRegionConsistency.STRONG` (3 regions) bounds it.
    recoveryObjectives: { rto: Duration.minutes(1) },
    alarmTopicArns: ALARM_TOPICS,
  });
  // Connect each region's handler to that region's cluster: security-group rule, secret, endpoints in its environment.
  api.forEachRegion({ visitRegion: (regional: RegionalApi) => db.connectFunction(regional.handler, regional.region) });

  // GlobalCache: a Valkey global datastore for sessions in the database's VPCs (isolated subnets, no NAT), the smallest
  // node size AWS supports for global datastores; promotion is a state machine in each region.
  const sessions = new GlobalCache(app, 'ExampleSessions', {
    account: ACCOUNT,
    regions: [PRIMARY_REGION, SECONDARY_REGION],
    cacheName: 'sessions',
    nodeType: 'cache.m6g.large',
    vpcProvider: db.vpcProvider,
    alarmTopicArns: ALARM_TOPICS,
  });

  // RdsCrossRegionReplica: RDS for PostgreSQL (Multi-AZ, gp3, encrypted) with an encrypted read replica in us-west-2 and a
  // promotion state machine in each region (a small Graviton class keeps the example cheap). Without `writerDnsRecord`
  // its RTO is unbounded: after a promotion, clients must be pointed at the promoted instance's endpoint.
  const ordersDb = new RdsCrossRegionReplica(app, 'ExampleOrdersDb', {
    account: ACCOUNT,
    regions: [PRIMARY_REGION, SECONDARY_REGION],
    instanceIdentifier: 'example-orders',
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
    allocatedStorage: 20,
    alarmTopicArns: ALARM_TOPICS,
  });

  // RegionSwitchPlan (ARC Region switch): one managed runbook that moves the database writer, www.example.com and
  // api.example.com to the other region when someone executes it (from the region being activated). The records keep
  // failing over on their own health checks when nobody runs it: the plan's checks only join the PRIMARY records'.
  const planStack = new Stack(app, 'ExampleRegionSwitch', { env: { account: ACCOUNT, region: PRIMARY_REGION } });
  const plan = new RegionSwitchPlan(planStack, 'Plan', { planName: 'example', regions: [PRIMARY_REGION, SECONDARY_REGION] });
  plan.addStep(plan.auroraStep(db));
  plan.addStep(plan.failoverDnsStep(dns));
  plan.addStep(plan.multiRegionApiStep(api));
  dns.useRegionSwitchPlan(plan);
  api.useRegionSwitchPlan(plan);

  // FailoverDashboard: one CloudWatch dashboard (in us-east-1) with every construct's health checks, replication lag,
  // orchestrator executions, alarms and recovery estimate, each widget in its metric's region.
  const dashboard = new FailoverDashboard(app, 'ExampleDashboard', { account: ACCOUNT, dashboardName: 'example-failover' });
  dashboard.addRegionalService(web);
  dashboard.addFailoverDns(dns);
  dashboard.addGlobalSsrSite(site);
  dashboard.addMultiRegionApi(api);
  dashboard.addAuroraGlobalFailover(db);
  dashboard.addGlobalCache(sessions);
  dashboard.addRdsCrossRegionReplica(ordersDb);
  dashboard.addRegionalService(shop);
  // Widgets of us-west-2 resources whose names or ids AWS generates (load balancers, health checks, unnamed alarms) are
  // left out (`skippedWidgets`) rather than tying the us-west-2 stacks to this us-east-1 stack with strong references.
  Annotations.of(dashboard).acknowledgeWarning('cdk-multi-region-failover:dashboard-cross-region',
    'no strong cross-region references; the skipped us-west-2 widgets are in that region\'s console');

  return app;
}

/** CloudFront over the shop's two load balancers: the edge in us-east-1, a static-asset origin stack per region. */
function buildShopEdge(app: App, shop: RegionalService): void {
  const site = { siteName: 'shop-example-com', primaryRegion: PRIMARY_REGION, drRegion: SECONDARY_REGION, domainName: `shop.${ZONE.zoneName}` };
  const edge = new SsrEdgeStack(app, 'ExampleShopEdge', {
    ...site,
    env: { account: ACCOUNT, region: 'us-east-1' },
    hostedZoneId: ZONE.hostedZoneId,
    zoneName: ZONE.zoneName,
    healthCheckPath: shop.healthCheckPath,
    httpOrigins: shop.cloudFrontOrigins(),
  });
  shop.stacks.forEach((stack) => edge.addDependency(stack, 'the origins are the regional names; the header secret has its us-east-1 replica'));
  Annotations.of(edge).acknowledgeWarning('cdk-multi-region-failover:ssr-primary-in-us-east-1',
    'us-east-1 is the primary on purpose; the runbook sets the write flag by hand if us-east-1 fails');
  const drOrigin = new SsrOriginStack(app, 'ExampleShopDrOrigin', {
    ...site, env: { account: ACCOUNT, region: SECONDARY_REGION }, ssrFunctionGrants: false, writeFailoverReconciler: true,
  });
  drOrigin.addDependency(edge, 'reads the distribution and KeyValueStore ARNs from SSM in us-east-1');
  const primaryOrigin = new SsrOriginStack(app, 'ExampleShopPrimaryOrigin', {
    ...site, env: { account: ACCOUNT, region: PRIMARY_REGION }, ssrFunctionGrants: false,
  });
  primaryOrigin.addDependency(edge, 'reads the distribution ARN from SSM in us-east-1');
  primaryOrigin.addDependency(drOrigin, 'the replication destination bucket must exist first');
}

/** A construct of this library and its recovery estimate, as the table prints it. */
export interface EstimatedConstruct {
  readonly path: string;
  readonly type: string;
  readonly recoveryEstimate: RecoveryEstimate;
}

/** Every top-level construct of this library in `app` that exposes a recovery estimate. */
export function estimatedConstructs(app: App): EstimatedConstruct[] {
  const hasEstimate = (c: IConstruct) => (c as any).recoveryEstimate !== undefined;
  return app.node.findAll()
    .filter((c) => hasEstimate(c) && !c.node.scopes.slice(0, -1).some(hasEstimate))
    .map((c) => ({ path: c.node.path, type: c.constructor.name, recoveryEstimate: (c as any).recoveryEstimate }));
}

if (require.main === module) {
  buildApp(process.env.CDK_OUTDIR ?? 'cdk.out').synth();
}
