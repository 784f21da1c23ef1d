/**
 * Real-AWS drill for RegionalService behind FailoverDns: stop the primary region's service, see DNS move to the
 * secondary's load balancer, restore it and see DNS come back.
 *
 * Deploys nginx (ECR Public, port 80, health path `/`) on ECS Fargate behind an ALB in us-east-1 (primary) and us-west-2,
 * one task each, one NAT gateway per VPC, no access log bucket (so the stacks delete cleanly), and a FailoverDns
 * `svc.<zone>` over `failoverEndpoints()` (A aliases to `<region>.svc.<zone>`, each an alias to its ALB with
 * EvaluateTargetHealth, plus a Route 53 HTTPS health check of `https://<region>.svc.<zone>/`). Then, from the assertion
 * stack in us-east-1 (ECS and Application Auto Scaling are regional APIs; Route 53 is global):
 *   1. TestDNSAnswer `svc.<zone>` A answers an address of `us-east-1.svc.<zone>` (the primary's ALB);
 *   2. stop the primary: RegisterScalableTarget MinCapacity 0 (Application Auto Scaling raises a desired count below
 *      the minimum back "anytime a scaling policy is invoked or the RegisterScalableTarget API is called":
 *      https://docs.aws.amazon.com/autoscaling/application/userguide/getting-started.html), then UpdateService
 *      desiredCount 0: the target group has no target, the ALB answers 503, the Route 53 health check fails and the
 *      alias is unhealthy ("A target group that has no registered targets is considered unhealthy":
 *      https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html#rrsets-values-alias-evaluate-target-health);
 *   3. TestDNSAnswer `svc.<zone>` answers an address of `us-west-2.svc.<zone>` (within 10 minutes);
 *   4. restore: UpdateService desiredCount 1, RegisterScalableTarget MinCapacity 1; `svc.<zone>` answers the primary again.
 *
 * CloudFront over the same two load balancers: an `SsrEdgeStack` with `httpOrigins` (`service.cloudFrontOrigins()`:
 * origins `<region>.svc.<zone>`, HTTPS, TLS 1.2) at `site.<zone>`, with its `SsrOriginStack`s (static buckets, the
 * write-failover reconciler, `ssrFunctionGrants: false`). Each region's task writes `/region.json` (`{"region": …}`)
 * before it starts nginx, so a response names the region that served it. The drill asserts, with the primary stopped,
 * that CloudFront's primary-only probe path answers 503 (the ALB has no target) and that `https://site.<zone>/region.json`
 * answers `{"region": "us-west-2"}` (the per-request origin group), then, restored, `{"region": "us-east-1"}` again. The
 * service has no `originProtection` because the same load balancers also serve Route 53 failover, whose health checkers
 * cannot send the secret header (the unit tests cover the header: test/global-ssr-site/http-origins.test.ts).
 *
 * Needs a REAL public hosted zone delegated from the internet (ACM validates the certificates through it): set
 * SVC_INTEG_ZONE_ID and SVC_INTEG_ZONE_NAME (and CDK_INTEG_ACCOUNT). The defaults are placeholders so that the file
 * synthesizes offline. Not deployed from this repository's CI (no AWS account there).
 * Cost while it runs: two ALBs, two Fargate tasks (0.25 vCPU, 0.5 GB), two NAT gateways, four Route 53 health checks,
 * a CloudFront distribution, the flag-flip and reconciler functions.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { integAccount } from './integ-env';
import { FailoverDns } from '../src/failover-dns';
import { GlobalSsrSite, SsrEdgeStack, SsrOriginStack } from '../src/global-ssr-site';
import { RegionalService } from '../src/regional-service';

const account = integAccount();
const hostedZoneId = process.env.SVC_INTEG_ZONE_ID ?? 'Z0000000000PLACEHOLDER';
const zoneName = process.env.SVC_INTEG_ZONE_NAME ?? 'regional-service-integ.example.com';
const [PRIMARY, SECONDARY] = ['us-east-1', 'us-west-2'];

const app = new App();
const service = new RegionalService(app, 'SvcInteg', {
  account,
  regions: [PRIMARY, SECONDARY],
  hostedZoneId,
  zoneName,
  domainName: `svc.${zoneName}`,
  stackNamePrefix: 'svc-integ',
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
  containerPort: 80,
  healthCheckPath: '/',
  desiredCount: 1,
  minCapacity: 1,
  maxCapacity: 2,
  natGateways: 1,
  accessLogs: false,
  removalPolicy: RemovalPolicy.DESTROY,
  logRetention: logs.RetentionDays.ONE_DAY,
});

// Each task writes its region to /region.json, then runs nginx (the image's entrypoint runs any other command as given).
service.regions.forEach((region) => {
  const task = service.regionalResources(region).taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  task.addPropertyOverride('ContainerDefinitions.0.Command', ['/bin/sh', '-c',
    `printf '{"region":"%s"}' ${region} > /usr/share/nginx/html/region.json && exec nginx -g 'daemon off;'`]);
});

const dnsStack = new Stack(app, 'SvcIntegDns', { env: { account, region: PRIMARY } });
const dns = new FailoverDns(dnsStack, 'Dns', {
  zone: route53.HostedZone.fromHostedZoneAttributes(dnsStack, 'Zone', { hostedZoneId, zoneName }),
  recordName: service.domainName,
  endpoints: service.failoverEndpoints(),
  recordTypes: [route53.RecordType.A],
  alarms: false,
});
// Route 53 refuses an alias to a record that does not exist yet: the regional names come first.
service.stacks.forEach((stack) => dnsStack.addDependency(stack, 'the failover records alias the regional names'));

// CloudFront over the same load balancers: the edge (us-east-1), then the origin stacks (DR first: replication target).
const site = { siteName: 'svcintegsite', primaryRegion: PRIMARY, drRegion: SECONDARY, removalPolicy: RemovalPolicy.DESTROY };
const siteDomain = `site.${zoneName}`;
const edge = new SsrEdgeStack(app, 'SvcIntegEdge', {
  ...site,
  env: { account, region: 'us-east-1' },
  domainName: siteDomain,
  hostedZoneId,
  zoneName,
  healthCheckPath: service.healthCheckPath,
  httpOrigins: service.cloudFrontOrigins(),
});
service.stacks.forEach((stack) => edge.addDependency(stack, 'the origins are the regional names of the load balancers'));
const drOrigin = new SsrOriginStack(app, 'SvcIntegDrOrigin', {
  ...site, env: { account, region: SECONDARY }, ssrFunctionGrants: false, writeFailoverReconciler: true, domainName: siteDomain,
});
drOrigin.addDependency(edge, 'reads the distribution and KeyValueStore ARNs from SSM in us-east-1');
const primaryOrigin = new SsrOriginStack(app, 'SvcIntegPrimaryOrigin', { ...site, env: { account, region: PRIMARY }, ssrFunctionGrants: false });
primaryOrigin.addDependency(edge, 'reads the distribution ARN from SSM in us-east-1');
primaryOrigin.addDependency(drOrigin, 'the replication destination bucket must exist first');

const assertions = new Stack(app, 'SvcIntegAssertions', { env: { account, region: PRIMARY } });
assertions.addDependency(dnsStack);
assertions.addDependency(primaryOrigin);
const integ = new IntegTest(app, 'RegionalServiceTest', {
  testCases: [...service.stacks, dnsStack, edge, drOrigin, primaryOrigin],
  assertionStack: assertions,
  diffAssets: false,
  cdkCommandOptions: { destroy: { args: { force: true } } },
});

const wait = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) };
const answer = (name: string) => integ.assertions.awsApiCall('Route53', 'testDNSAnswer', { HostedZoneId: hostedZoneId, RecordName: name, RecordType: 'A' });
/** The shared name answers the first address the regional name answers. */
const answersLike = (regional: ReturnType<typeof answer>) => ExpectedResult.objectLike({
  ResponseCode: 'NOERROR',
  RecordData: Match.arrayWith([regional.getAttString('RecordData.0')]),
});

const primary = service.regionalResources(PRIMARY);
const resourceId = `service/${primary.cluster.clusterName}/${primary.service.serviceName}`;
const setMinimum = (minCapacity: number) => integ.assertions.awsApiCall('ApplicationAutoScaling', 'registerScalableTarget', {
  ServiceNamespace: 'ecs',
  ScalableDimension: 'ecs:service:DesiredCount',
  ResourceId: resourceId,
  MinCapacity: minCapacity,
});
const setDesired = (desiredCount: number) => integ.assertions.awsApiCall('ECS', 'updateService', {
  cluster: primary.cluster.clusterName,
  service: primary.service.serviceName,
  desiredCount,
});

// 1. The primary answers.
const primaryAddress = answer(service.regionalDomainName(PRIMARY));
const primaryServes = answer(service.domainName);
primaryServes.expect(answersLike(primaryAddress)).waitForAssertions(wait);

// 2. and 3. Stop the primary: DNS moves to the secondary's load balancer.
const noMinimum = setMinimum(0);
const stop = setDesired(0);
const secondaryAddress = answer(service.regionalDomainName(SECONDARY));
const secondaryServes = answer(service.domainName);
secondaryServes.expect(answersLike(secondaryAddress)).waitForAssertions(wait);

// 4. Restore: DNS comes back to the primary.
const start = setDesired(1);
const minimumBack = setMinimum(1);
const primaryAddressAgain = answer(service.regionalDomainName(PRIMARY));
const primaryServesAgain = answer(service.domainName);
primaryServesAgain.expect(answersLike(primaryAddressAgain)).waitForAssertions(wait);

// CloudFront: which region answers `/region.json`, and the primary-only probe path.
const siteBase = `https://${siteDomain}`;
const json = { headers: { accept: 'application/json' } };
const servedBy = (region: string, drill: string) => {
  const call = integ.assertions.httpApiCall(`${siteBase}/region.json?drill=${drill}`, json);
  call.expect(ExpectedResult.objectLike({ status: 200, body: { region } })).waitForAssertions(wait);
  return call;
};
const primaryProbe = (status: number) => {
  const call = integ.assertions.httpApiCall(`${siteBase}${GlobalSsrSite.PRIMARY_PROBE_PATH}`, json);
  call.expect(ExpectedResult.objectLike({ status })).waitForAssertions(wait);
  return call;
};
const cdnPrimary = servedBy(PRIMARY, 'before');
const cdnPrimaryDown = primaryProbe(503);
const cdnSecondary = servedBy(SECONDARY, 'stopped');
const cdnPrimaryUp = primaryProbe(200);
const cdnPrimaryAgain = servedBy(PRIMARY, 'restored');

primaryAddress.next(primaryServes).next(cdnPrimary).next(noMinimum).next(stop).next(secondaryAddress).next(secondaryServes)
  .next(cdnPrimaryDown).next(cdnSecondary)
  .next(start).next(minimumBack).next(primaryAddressAgain).next(primaryServesAgain).next(cdnPrimaryUp).next(cdnPrimaryAgain);

// The drill's budget: the DNS estimate of the failover it exercises (printed by `cdk synth`).
assertions.templateOptions.description = `RegionalService drill; DNS failover estimate: ${dns.recoveryEstimate.explanation}`;
