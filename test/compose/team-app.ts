/**
 * The real team's design of issue 11, built from the README alone: an API that reads Aurora in every region, an
 * Aurora global database, an SSR site; their health checks at 30 s × 3 on `/api/health`; every alarm to their
 * existing SNS topics. Variations: the number of regions, inside a Stage or not, their own handler or ours.
 */
import { App, Duration, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ApiAuthorization, AuroraGlobalFailover, GlobalSsrSite, MultiRegionApi, RegionalApi } from '../../src';

export const TEAM_ACCOUNT = '123456789012';
export const TEAM_ZONE = { hostedZoneId: 'Z0TEAM00000000000000', zoneName: 'shop.example.com' };
export const TEAM_TOPIC = (region: string) => `arn:aws:sns:${region}:${TEAM_ACCOUNT}:platform-alarms`;
/** The team's handler: their own code, one file, no build step (Node.js 24, the newest Lambda runtime). */
export const TEAM_HANDLER_CODE = 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ path: event.path }) });';

export interface TeamAppOptions {
  /** The regions, primary first. @default ['us-east-1', 'us-west-2'] */
  readonly regions?: string[];
  /** Build inside `new Stage(app, 'Prod', { env: { account } })` instead of directly under the App. @default false */
  readonly inStage?: boolean;
  /** Pass `account` explicitly (otherwise the Stage's, or CDK_DEFAULT_ACCOUNT). @default true outside a Stage */
  readonly explicitAccount?: boolean;
  /** Construct ids (to show that renaming them renames nothing stateful). @default 'Db', 'Api', 'Site' */
  readonly ids?: { db: string; api: string; site: string };
}

export interface TeamApp {
  readonly app: App;
  readonly scope: Construct;
  readonly db: AuroraGlobalFailover;
  readonly api: MultiRegionApi;
  readonly site: GlobalSsrSite;
}

export function buildTeamApp(options: TeamAppOptions = {}): TeamApp {
  const regions = options.regions ?? ['us-east-1', 'us-west-2'];
  const ids = options.ids ?? { db: 'Db', api: 'Api', site: 'Site' };
  const app = new App();
  const scope: Construct = options.inStage ? new Stage(app, 'Prod', { env: { account: TEAM_ACCOUNT } }) : app;
  const account = (options.explicitAccount ?? !options.inStage) ? TEAM_ACCOUNT : undefined;
  const alarmTopicArns = Object.fromEntries([...new Set([...regions, 'us-east-1'])].map((r) => [r, TEAM_TOPIC(r)]));

  const db = new AuroraGlobalFailover(scope, ids.db, {
    account,
    regions,
    globalClusterIdentifier: 'shop',
    writerDnsRecord: { hostedZoneId: TEAM_ZONE.hostedZoneId, recordName: `writer.db.${TEAM_ZONE.zoneName}` },
    alarmTopicArns: Object.fromEntries(regions.map((r) => [r, TEAM_TOPIC(r)])),
  });

  const api = new MultiRegionApi(scope, ids.api, {
    account,
    regions,
    ...TEAM_ZONE,
    recordName: 'api',
    stageName: 'api',
    healthCheck: { interval: Duration.seconds(30), failureThreshold: 3, path: '/api/health' },
    authorization: ApiAuthorization.cognito([`arn:aws:cognito-idp:${regions[0]}:${TEAM_ACCOUNT}:userpool/${regions[0]}_Team1`]),
    defaultRoutes: false,
    routes: [{ path: '/orders/{id}', methods: ['GET'] }],
    handler: {
      code: lambda.Code.fromInline(TEAM_HANDLER_CODE),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      vpcProvider: db.vpcProvider,
    },
    alarmTopicArns,
  });
  // Each region's handler reads that region's cluster: security-group rule, secret, endpoints in its environment.
  api.forEachRegion({ visitRegion: (regional: RegionalApi) => db.connectFunction(regional.handler, regional.region) });

  const site = new GlobalSsrSite(scope, ids.site, {
    account,
    primaryRegion: regions[0],
    drRegion: regions[1],
    domainName: `www.${TEAM_ZONE.zoneName}`,
    ...TEAM_ZONE,
    alarmTopicArns: Object.fromEntries([...new Set([regions[0], regions[1], 'us-east-1'])].map((r) => [r, TEAM_TOPIC(r)])),
  });

  return { app, scope, db, api, site };
}
