import { Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  configureHttpsRouting, createAccessLogBucket, createSecurityGroups, createServiceVpc, DEREGISTRATION_DELAY,
  originVerifySecret, targetGroupHealthCheck,
} from './network';
import { RegionalServiceProps, RegionalServiceResources } from './props';
import { ServiceSettings } from './settings';
import { NagSuppressions } from '../core/nag';

/** What one region needs. @internal */
export interface RegionInput {
  readonly stack: Stack;
  readonly region: string;
  readonly first: boolean;
  readonly props: RegionalServiceProps;
  readonly s: ServiceSettings;
}

/** `<region>.<domainName>`: the region's own name. @internal */
export function regionalDomainName(region: string, domainName: string): string {
  return `${region}.${domainName}`;
}

/**
 * One region: VPC, security groups, certificate, load balancer (HTTPS listener with the TLS policy, HTTP → HTTPS
 * redirect, access logs), target group, ECS cluster and Fargate service, auto scaling, the regional alias record and
 * the no-healthy-task alarm.
 * @internal
 */
export function buildRegion(input: RegionInput): RegionalServiceResources {
  const { stack, region, props, s } = input;
  const vpc = props.vpcProvider ? props.vpcProvider.vpcForRegion(stack, region) : createServiceVpc(stack, s);
  const groups = createSecurityGroups(stack, vpc, s);
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName.replace(/\.$/, '') });
  const regionalName = regionalDomainName(region, s.domainName);
  const certificate = props.certificateArns
    ? acm.Certificate.fromCertificateArn(stack, 'Certificate', props.certificateArns[region])
    : new acm.Certificate(stack, 'Certificate', {
      domainName: s.domainName,
      subjectAlternativeNames: [regionalName],
      certificateName: regionalName,
      validation: acm.CertificateValidation.fromDns(zone),
    });

  const secret = s.originSecretName ? originVerifySecret(stack, s, input.first) : undefined;
  const parts = createLoadBalancer(stack, s, vpc, groups.alb, certificate, secret);
  const { loadBalancer, accessLogBucket, targetGroup, httpsListener, httpListener } = parts;

  const service = createService(input, vpc, groups.service, targetGroup);
  const regionalRecord = new route53.ARecord(stack, 'RegionalRecord', {
    zone,
    recordName: `${regionalName}.`,
    target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer, { evaluateTargetHealth: true })),
    comment: `${s.domainName} in ${region}: the region's load balancer (EvaluateTargetHealth)`,
  });
  const noHealthyTaskAlarm = new cloudwatch.Alarm(stack, 'NoHealthyTaskAlarm', {
    alarmDescription: `${s.domainName} in ${region}: no healthy task behind the load balancer for a minute (Route 53 sees the region as unhealthy)`,
    metric: targetGroup.metrics.healthyHostCount({ statistic: 'Minimum', period: Duration.minutes(1) }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  return {
    region,
    stack,
    vpc,
    cluster: service.cluster,
    service: service.service,
    taskDefinition: service.taskDefinition,
    loadBalancer,
    loadBalancerSecurityGroup: groups.alb,
    serviceSecurityGroup: groups.service,
    httpsListener,
    httpListener,
    targetGroup,
    certificate,
    accessLogBucket,
    regionalDomainName: regionalName,
    regionalRecord,
    noHealthyTaskAlarm,
    alarms: [noHealthyTaskAlarm],
    originVerifySecret: secret,
  };
}

interface LoadBalancerParts {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly accessLogBucket?: s3.Bucket;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly httpsListener: elbv2.ApplicationListener;
  readonly httpListener: elbv2.ApplicationListener;
}

/** The internet-facing ALB: access logs, the target group, the HTTPS listener (TLS policy, origin protection) and the HTTP redirect. */
function createLoadBalancer(
  stack: Stack, s: ServiceSettings, vpc: ec2.IVpc, securityGroup: ec2.ISecurityGroup, certificate: acm.ICertificate, secret?: secretsmanager.ISecret,
): LoadBalancerParts {
  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', {
    vpc,
    internetFacing: true,
    securityGroup,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    dropInvalidHeaderFields: true,
  });
  const accessLogBucket = s.accessLogs ? createAccessLogBucket(stack, s) : undefined;
  if (accessLogBucket) {
    loadBalancer.logAccessLogs(accessLogBucket, 'alb');
  }
  const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'TargetGroup', {
    vpc,
    port: s.containerPort,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    healthCheck: targetGroupHealthCheck(s),
    deregistrationDelay: DEREGISTRATION_DELAY,
  });
  const httpsListener = loadBalancer.addListener('Https', {
    port: 443,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate)],
    sslPolicy: s.sslPolicy,
    open: false,
  });
  configureHttpsRouting(httpsListener, targetGroup, s, secret);
  const httpListener = loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443, open: false });

  return { loadBalancer, accessLogBucket, targetGroup, httpsListener, httpListener };
}

interface ServiceParts {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;
}

/** The cluster (Container Insights), the task definition (awslogs), the service (circuit breaker) and its auto scaling. */
function createService(
  input: RegionInput, vpc: ec2.IVpc, securityGroup: ec2.ISecurityGroup, targetGroup: elbv2.ApplicationTargetGroup,
): ServiceParts {
  const { stack, props, s } = input;
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'TaskDefinition', { cpu: s.cpu, memoryLimitMiB: s.memoryLimitMiB });
  const logGroup = new logs.LogGroup(stack, 'ContainerLogs', { retention: s.logRetention, removalPolicy: s.removalPolicy });
  taskDefinition.addContainer('App', {
    image: props.image,
    portMappings: [{ containerPort: s.containerPort }],
    environment: props.environment,
    secrets: props.secrets,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app', logGroup }),
  });
  const service = new ecs.FargateService(stack, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: s.desiredCount,
    securityGroups: [securityGroup],
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    assignPublicIp: false,
    // A deployment whose tasks never become healthy stops and rolls back to the last completed deployment:
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
    circuitBreaker: { enable: true, rollback: true },
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    healthCheckGracePeriod: Duration.seconds(60),
  });
  targetGroup.addTarget(service);
  const scaling = service.autoScaleTaskCount({ minCapacity: s.minCapacity, maxCapacity: s.maxCapacity });
  scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: s.cpuTarget });
  if (props.environment && Object.keys(props.environment).length > 0) {
    NagSuppressions.addResourceSuppressions(taskDefinition, [{
      id: 'AwsSolutions-ECS2',
      reason: 'The variables are the caller\'s plain configuration (`environment`); secret values are passed as ECS secrets (`secrets`)',
    }]);
  }
  return { cluster, taskDefinition, service };
}
