import { Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ServiceSettings } from './settings';
import { NagSuppressions } from '../core/nag';

/**
 * The VPC of a region when you bring none: 2 AZs (`Fn::GetAZs` through the stack, no lookup), public subnets for the
 * load balancer and NAT gateways, private subnets with egress for the tasks (they pull the image), a flow log.
 * @internal
 */
export function createServiceVpc(stack: Stack, s: ServiceSettings): ec2.Vpc {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: s.natGateways,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
    ],
  });
  const flowLogs = new logs.LogGroup(stack, 'VpcFlowLogs', { retention: s.logRetention, removalPolicy: s.removalPolicy });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
  return vpc;
}

/**
 * The two security groups: the load balancer's accepts HTTPS (and HTTP, which only redirects) from the internet and
 * may reach the tasks' container port only; the tasks' accepts the container port from the load balancer only.
 * @internal
 */
export function createSecurityGroups(stack: Stack, vpc: ec2.IVpc, s: ServiceSettings): { alb: ec2.SecurityGroup; service: ec2.SecurityGroup } {
  const alb = new ec2.SecurityGroup(stack, 'LoadBalancerSecurityGroup', {
    vpc,
    description: `${s.domainName}: HTTPS from the internet (HTTP only redirects to HTTPS)`,
    allowAllOutbound: false,
  });
  alb.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
  alb.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet, redirected to HTTPS');
  const service = new ec2.SecurityGroup(stack, 'ServiceSecurityGroup', {
    vpc,
    description: `${s.domainName}: the container port from the load balancer only`,
    allowAllOutbound: true,
  });
  service.addIngressRule(alb, ec2.Port.tcp(s.containerPort), 'the container port from the load balancer');
  alb.addEgressRule(service, ec2.Port.tcp(s.containerPort), 'requests and health checks to the tasks');
  NagSuppressions.addResourceSuppressions(alb, [{
    id: 'AwsSolutions-EC23',
    reason: 'An internet-facing load balancer serves the public: 443 (and 80, whose listener only redirects to HTTPS) from anywhere; the tasks accept the load balancer only',
  }]);
  return { alb, service };
}

/**
 * The access log bucket of a region: SSE-S3 (the only server-side encryption ALB access logs support), no public
 * access, TLS only, objects expire after `accessLogRetention`.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 * @internal
 */
export function createAccessLogBucket(stack: Stack, s: ServiceSettings): s3.Bucket {
  const bucket = new s3.Bucket(stack, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: s.accessLogRetention }],
    removalPolicy: s.removalPolicy,
  });
  NagSuppressions.addResourceSuppressions(bucket, [{
    id: 'AwsSolutions-S1',
    reason: 'This bucket holds the load balancer access logs; logging its own accesses would need another bucket for the logs of the logs',
  }]);
  return bucket;
}

/**
 * The origin-verify secret: created in the first region with a replica in every other region of the service and in
 * the distribution regions; the other stacks import it by name.
 * @internal
 */
export function originVerifySecret(stack: Stack, s: ServiceSettings, first: boolean): secretsmanager.ISecret {
  if (!first) {
    return secretsmanager.Secret.fromSecretNameV2(stack, 'OriginVerifySecret', s.originSecretName!);
  }
  const secret = new secretsmanager.Secret(stack, 'OriginVerifySecret', {
    secretName: s.originSecretName,
    description: `${s.domainName}: the ${s.originHeaderName} header value CloudFront sends and the load balancers require`,
    // Letters and digits only: ALB header conditions read `*` and `?` as wildcards (and compare case-insensitively).
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    replicaRegions: s.originReplicaRegions.map((region) => ({ region })),
    removalPolicy: s.removalPolicy,
  });
  NagSuppressions.addResourceSuppressions(secret, [{
    id: 'AwsSolutions-SMG4',
    reason: 'The origin-verify header value must change in the CloudFront origin and in every region\'s listener rule together, and CloudFormation re-resolves a dynamic reference only on a stack update of the resource; rotate it with the documented runbook instead of an automatic rotation',
  }]);
  return secret;
}

/** The dynamic reference to the origin-verify value, resolved by CloudFormation at deploy time in the stack's region. @internal */
export function originVerifyReference(secretName: string): string {
  return SecretValue.secretsManager(secretName).unsafeUnwrap();
}

/** The HTTPS listener's routing: forward everything, or (origin protection) only requests with the header, else 403. @internal */
export function configureHttpsRouting(
  listener: elbv2.ApplicationListener,
  targetGroup: elbv2.ApplicationTargetGroup,
  s: ServiceSettings,
  secret: secretsmanager.ISecret | undefined,
): void {
  if (!secret) {
    listener.addTargetGroups('Service', { targetGroups: [targetGroup] });
    return;
  }
  // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html: CloudFront
  // adds the header, the listener forwards only requests that carry it, every other request gets the default action.
  listener.addAction('Default', {
    action: elbv2.ListenerAction.fixedResponse(403, { contentType: 'text/plain', messageBody: 'Forbidden' }),
  });
  listener.addAction('FromCloudFront', {
    priority: 1,
    conditions: [elbv2.ListenerCondition.httpHeader(s.originHeaderName!, [originVerifyReference(s.originSecretName!)])],
    action: elbv2.ListenerAction.forward([targetGroup]),
  });
  // The dynamic reference needs the secret (or its replica) to exist when the rule is created.
  listener.node.findChild('FromCloudFrontRule').node.addDependency(secret);
}

/** The target group health check settings. @internal */
export function targetGroupHealthCheck(s: ServiceSettings): elbv2.HealthCheck {
  return {
    path: s.healthCheckPath,
    interval: s.interval,
    timeout: s.timeout,
    unhealthyThresholdCount: s.unhealthyThreshold,
    healthyThresholdCount: s.healthyThreshold,
    healthyHttpCodes: s.healthyHttpCodes,
    protocol: elbv2.Protocol.HTTP,
  };
}

/** How long the load balancer lets in-flight requests finish on a deregistering task. @internal */
export const DEREGISTRATION_DELAY = Duration.seconds(30);
