/**
 * The example app: every construct of the library in a two-region deployment
 * (dummy account 111111111111, us-east-1 primary, us-west-2 secondary).
 *
 * Synthesizes with no AWS credentials: explicit account and regions, no lookups.
 * `npx projen main` synthesizes it into ./cdk.out and prints a table (examples/main.ts).
 */
import { Annotations, App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { ApiAuthorization, AuroraGlobalFailover, FailoverDns, GlobalCache, GlobalSsrSite, MultiRegionApi, RdsCrossRegionReplica, RecoveryEstimate, RegionalApi } from '../src';
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

  // FailoverDns: health-checked failover for endpoints that already exist in two regions
  // (here, two regional load balancers known by DNS name).
  const dnsStack = new Stack(app, 'ExampleFailoverDns', { env: { account: ACCOUNT, region: PRIMARY_REGION } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(dnsStack, 'Zone', ZONE);
  new FailoverDns(dnsStack, 'Dns', {
    zone,
    recordName: `www.${ZONE.zoneName}`,
    endpoints: [
      { region: PRIMARY_REGION, domainName: 'web-use1-0123456789.us-east-1.elb.amazonaws.com' },
      { region: SECONDARY_REGION, domainName: 'web-usw2-0123456789.us-west-2.elb.amazonaws.com' },
    ],
    // Route 53 publishes HealthCheckStatus in us-east-1 only: the health check alarms live there.
    alarmTopicArns: { [PRIMARY_REGION]: ALARM_TOPICS[PRIMARY_REGION] },
  });

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
  new GlobalCache(app, 'ExampleSessions', {
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
  new RdsCrossRegionReplica(app, 'ExampleOrdersDb', {
    account: ACCOUNT,
    regions: [PRIMARY_REGION, SECONDARY_REGION],
    instanceIdentifier: 'example-orders',
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
    allocatedStorage: 20,
    alarmTopicArns: ALARM_TOPICS,
  });

  return app;
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
