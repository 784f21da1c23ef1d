import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RegionalServiceProps } from './props';
import { MultiRegionFailoverError } from '../core/errors';
import { prefixFromName, validateStackNamePrefix } from '../core/naming';
import { validateAccount, validateRegions } from '../core/regions';

const FARGATE_DOC = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size';

/** Resolved, validated settings of a `RegionalService`. @internal */
export interface ServiceSettings {
  readonly account: string;
  readonly regions: string[];
  readonly prefix: string;
  readonly domainName: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  readonly interval: Duration;
  readonly timeout: Duration;
  readonly unhealthyThreshold: number;
  readonly healthyThreshold: number;
  readonly healthyHttpCodes: string;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly desiredCount: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly cpuTarget: number;
  readonly sslPolicy: elbv2.SslPolicy;
  readonly natGateways: number;
  readonly accessLogs: boolean;
  readonly accessLogRetention: Duration;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: logs.RetentionDays;
  readonly originHeaderName?: string;
  readonly originSecretName?: string;
  readonly originReplicaRegions: string[];
}

/**
 * Fargate's task sizes: CPU units → the memory sizes (MiB) allowed with them. 256 (.25 vCPU): 512 MiB, 1 GB, 2 GB;
 * 512: 1–4 GB; 1024: 2–8 GB; 2048: 4–16 GB; 4096: 8–30 GB, in 1 GB steps; 8192: 16–60 GB in 4 GB steps;
 * 16384: 32–120 GB in 8 GB steps (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 * @internal
 */
export function fargateMemorySizes(cpu: number): number[] {
  const gb = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => (from + i * step) * 1024);
  switch (cpu) {
    case 256: return [512, 1024, 2048];
    case 512: return gb(1, 4, 1);
    case 1024: return gb(2, 8, 1);
    case 2048: return gb(4, 16, 1);
    case 4096: return gb(8, 30, 1);
    case 8192: return gb(16, 60, 4);
    case 16384: return gb(32, 120, 8);
    default: return [];
  }
}

const CPU_UNITS = [256, 512, 1024, 2048, 4096, 8192, 16384];

function integer(value: number, property: string, min: number, max: number, reason = ''): number {
  if (Token.isUnresolved(value) || !Number.isInteger(value) || value < min || value > max) {
    throw new MultiRegionFailoverError(`\`${property}\` must be an integer from ${min} to ${max}${reason}, got: ${value}`);
  }
  return value;
}

function seconds(d: Duration, property: string, min: number, max: number): number {
  const s = d.isUnresolved() ? NaN : d.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < min || s > max) {
    throw new MultiRegionFailoverError(`\`${property}\` must be a whole number of seconds from ${min} to ${max}, got: ${d.isUnresolved() ? 'a token' : `${s} s`}`);
  }
  return s;
}

/** Fargate CPU and memory. */
function validateTaskSize(cpu: number, memory: number): void {
  if (!CPU_UNITS.includes(cpu)) {
    throw new MultiRegionFailoverError(`\`cpu\` must be one of ${CPU_UNITS.join(', ')} (Fargate task sizes, ${FARGATE_DOC}), got: ${cpu}`);
  }
  const sizes = fargateMemorySizes(cpu);
  if (!sizes.includes(memory)) {
    const range = sizes.length <= 3 ? sizes.join(', ') : `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
    throw new MultiRegionFailoverError(`\`memoryLimitMiB\` must be a Fargate memory size for \`cpu\` ${cpu} (${range} MiB), got: ${memory}`);
  }
}

/** Task counts: 1 ≤ min ≤ desired ≤ max. */
function validateCounts(desired: number, min: number, max: number): void {
  integer(min, 'minCapacity', 1, 1000, ' (a region without a task is unhealthy and fails over)');
  integer(desired, 'desiredCount', 1, 1000);
  integer(max, 'maxCapacity', 1, 1000);
  if (desired < min || desired > max) {
    throw new MultiRegionFailoverError(`\`desiredCount\` must be from \`minCapacity\` (${min}) to \`maxCapacity\` (${max}), got: ${desired}`);
  }
}

type HealthSettings = Pick<ServiceSettings, 'interval' | 'timeout' | 'unhealthyThreshold' | 'healthyThreshold' | 'healthCheckPath'>;

/** Target group health check ranges (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html). */
function validateHealthCheck(props: RegionalServiceProps): HealthSettings {
  const hc = props.healthCheck ?? {};
  const interval = hc.interval ?? Duration.seconds(10);
  const timeout = hc.timeout ?? Duration.seconds(5);
  const i = seconds(interval, 'healthCheck.interval', 5, 300);
  const t = seconds(timeout, 'healthCheck.timeout', 2, 120);
  if (t >= i) {
    throw new MultiRegionFailoverError(`\`healthCheck.timeout\` must be shorter than \`healthCheck.interval\` (${i} s), got: ${t} s`);
  }
  const unhealthyThreshold = integer(hc.unhealthyThresholdCount ?? 2, 'healthCheck.unhealthyThresholdCount', 2, 10);
  const healthyThreshold = integer(hc.healthyThresholdCount ?? 3, 'healthCheck.healthyThresholdCount', 2, 10);
  const healthCheckPath = props.healthCheckPath ?? '/health';
  if (!Token.isUnresolved(healthCheckPath) && (!healthCheckPath.startsWith('/') || healthCheckPath.length > 1024)) {
    throw new MultiRegionFailoverError(`\`healthCheckPath\` must start with "/" and be at most 1024 characters, got: ${healthCheckPath}`);
  }
  return { interval, timeout, unhealthyThreshold, healthyThreshold, healthCheckPath };
}

/** `originProtection`: the header name (ALB: at most 40 characters) and the secret's replica regions. */
function originSettings(props: RegionalServiceProps, regions: string[], prefix: string): Pick<ServiceSettings, 'originHeaderName' | 'originSecretName' | 'originReplicaRegions'> {
  const protection = props.originProtection;
  if (!protection) {
    return { originReplicaRegions: [] };
  }
  const headerName = protection.headerName ?? 'X-Origin-Verify';
  if (Token.isUnresolved(headerName) || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/.test(headerName)) {
    throw new MultiRegionFailoverError(`\`originProtection.headerName\` must be an HTTP header name of 1 to 40 characters (ALB's limit), got: ${headerName}`);
  }
  const replicas = [...new Set([...regions.slice(1), ...(protection.distributionRegions ?? ['us-east-1'])])].filter((r) => r !== regions[0]);
  return { originHeaderName: headerName, originSecretName: protection.secretName ?? `${prefix}/origin-verify`, originReplicaRegions: replicas };
}

/** @internal */
export function resolveSettings(props: RegionalServiceProps): ServiceSettings {
  const regions = validateRegions(props.regions, { min: 2, property: 'regions' });
  const account = validateAccount(props.account ?? process.env.CDK_DEFAULT_ACCOUNT, 'account');
  const domainName = props.domainName.replace(/\.$/, '').toLowerCase();
  const zone = props.zoneName.replace(/\.$/, '').toLowerCase();
  if (!Token.isUnresolved(domainName) && !Token.isUnresolved(zone) && domainName !== zone && !domainName.endsWith(`.${zone}`)) {
    throw new MultiRegionFailoverError(`\`domainName\` must be in the hosted zone ${zone} (the zone validates its certificates and holds its regional names), got: ${props.domainName}`);
  }
  const cpu = props.cpu ?? 256;
  const memoryLimitMiB = props.memoryLimitMiB ?? 512;
  validateTaskSize(cpu, memoryLimitMiB);
  const desiredCount = props.desiredCount ?? 2;
  const minCapacity = props.minCapacity ?? desiredCount;
  const maxCapacity = props.maxCapacity ?? Math.max(4 * minCapacity, desiredCount);
  validateCounts(desiredCount, minCapacity, maxCapacity);
  for (const region of regions) {
    if (props.certificateArns && !props.certificateArns[region]) {
      throw new MultiRegionFailoverError(`\`certificateArns\` must have a certificate ARN for every region, got none for: ${region}`);
    }
  }
  const prefix = props.stackNamePrefix !== undefined ? validateStackNamePrefix(props.stackNamePrefix) : prefixFromName(domainName);
  return {
    account,
    regions,
    prefix,
    domainName,
    containerPort: integer(props.containerPort ?? 80, 'containerPort', 1, 65535),
    ...validateHealthCheck(props),
    healthyHttpCodes: props.healthCheck?.healthyHttpCodes ?? '200',
    cpu,
    memoryLimitMiB,
    desiredCount,
    minCapacity,
    maxCapacity,
    cpuTarget: integer(props.cpuTargetUtilization ?? 60, 'cpuTargetUtilization', 10, 90),
    sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.TLS13_12_RES_PQ,
    natGateways: integer(props.natGateways ?? 2, 'natGateways', 1, 2, ' (the VPC has 2 AZs; the tasks need egress)'),
    accessLogs: props.accessLogs ?? true,
    accessLogRetention: props.accessLogRetention ?? Duration.days(90),
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    ...originSettings(props, regions, prefix),
  };
}
