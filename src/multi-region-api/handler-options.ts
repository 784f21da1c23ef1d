import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import type { ApiHandlerOptions } from './options';
import { MultiRegionFailoverError } from '../core/errors';

/**
 * The runtime of your `code` when you set none: the latest Node.js runtime aws-cdk-lib 2.245 knows. cdk-nag's
 * AwsSolutions-L1 compares a function's runtime with the newest of its family in aws-cdk-lib's `Runtime.ALL`, so an
 * older default would fail it (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
 */
export const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * Lambda's limits: "Function memory allocation: 128 MB to 10,240 MB, in 1-MB increments" and a function timeout of
 * 900 seconds (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
const MEMORY_MB = { min: 128, max: 10240 };
const TIMEOUT_S = { min: 1, max: 900 };

/**
 * API Gateway's integration timeout of a REST API: 50 ms to 29 s by default; "You can raise the integration timeout
 * to greater than 29 seconds for Regional REST APIs and private REST APIs, but this might require a reduction in your
 * account-level throttle quota limit" (June 2024:
 * https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-api-gateway-integration-timeout-limit-29-seconds/,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html).
 * `LambdaIntegration` keeps the default 29 s.
 */
const INTEGRATION_TIMEOUT_S = 29;

/**
 * AWS: a change to any replica "is replicated to all the other replicas within the same global table, typically within
 * a second" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html); "a newly
 * written item is usually propagated to all replica tables within a second"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html). No upper bound.
 */
export const TYPICAL_REPLICATION_LAG = Duration.seconds(1);

/** Settings of `handler` that make the construct's own function, so they cannot go with `handler.factory`. */
const FUNCTION_SETTINGS: (keyof ApiHandlerOptions)[] = ['code', 'handler', 'runtime', 'memorySize', 'timeout', 'architecture'];

/**
 * Checks `handler` and returns whether the routes use the built-in handler (neither `code` nor `factory`).
 */
export function validateHandler(h: ApiHandlerOptions | undefined): boolean {
  if (h?.vpcSubnets !== undefined && h.vpcProvider === undefined) {
    throw new MultiRegionFailoverError('`handler.vpcSubnets` needs `handler.vpcProvider` (the VPC of each region), got: vpcSubnets only');
  }
  if (h?.factory !== undefined) {
    const set = FUNCTION_SETTINGS.filter((k) => h[k] !== undefined);
    if (set.length > 0) {
      throw new MultiRegionFailoverError('`handler.factory` creates the routes\' function itself: set its code, handler, runtime, memory size, '
        + 'timeout and architecture there (`handler.environment`, `vpcProvider` and `vpcSubnets` apply to the health function), '
        + `got: ${set.map((k) => `handler.${k}`).join(', ')}`);
    }
    return false;
  }
  validateMemorySize(h?.memorySize);
  validateTimeout(h?.timeout);
  if (!h || (h.code === undefined && h.handler === undefined && h.runtime === undefined)) {
    return true;
  }
  if (h.code === undefined) {
    throw new MultiRegionFailoverError(`\`handler.code\` is required with \`handler.handler\` or \`handler.runtime\`, got: ${h.handler ?? h.runtime?.name}`);
  }
  if (!h.handler) {
    throw new MultiRegionFailoverError('`handler.handler` is required with `handler.code` (e.g. "index.handler"), got: undefined');
  }
  return false;
}

function validateMemorySize(memorySize: number | undefined): void {
  if (memorySize === undefined || Token.isUnresolved(memorySize)) {
    return;
  }
  if (!Number.isInteger(memorySize) || memorySize < MEMORY_MB.min || memorySize > MEMORY_MB.max) {
    throw new MultiRegionFailoverError(`\`handler.memorySize\` must be a whole number of MB from ${MEMORY_MB.min} to ${MEMORY_MB.max} (Lambda's limits), got: ${memorySize}`);
  }
}

function validateTimeout(timeout: Duration | undefined): void {
  if (timeout === undefined || timeout.isUnresolved()) {
    return;
  }
  const ms = timeout.toMilliseconds();
  if (ms % 1000 !== 0 || ms < TIMEOUT_S.min * 1000 || ms > TIMEOUT_S.max * 1000) {
    throw new MultiRegionFailoverError(`\`handler.timeout\` must be a whole number of seconds from ${TIMEOUT_S.min} to ${TIMEOUT_S.max} (Lambda's limit), got: ${ms / 1000} s`);
  }
}

/**
 * `replicationLagAllowance`: a concrete duration of at least AWS's documented typical replication lag (1 s). It is the
 * typical RPO of an EVENTUAL (MREC) table, never a bound: a lower figure would claim less data loss than AWS does.
 */
export function validateReplicationLag(lag: Duration | undefined): Duration | undefined {
  if (lag === undefined) {
    return undefined;
  }
  if (lag.isUnresolved()) {
    throw new MultiRegionFailoverError('`replicationLagAllowance` must be a concrete duration, got a token');
  }
  const ms = lag.toMilliseconds();
  if (ms < TYPICAL_REPLICATION_LAG.toMilliseconds()) {
    throw new MultiRegionFailoverError('`replicationLagAllowance` must be at least 1 s: AWS documents DynamoDB global table replication '
      + '"typically within a second" and no upper bound, so a lower figure claims less data loss than AWS does (it is the typical RPO, '
      + `never a bound), got: ${ms / 1000} s`);
  }
  return lag;
}

/**
 * Warns (on `scope`) when the routes' function may run longer than API Gateway waits for it: after the 29 s
 * integration timeout API Gateway answers 504, and the function keeps running.
 */
export function warnIntegrationTimeout(scope: IConstruct, fn: lambda.Function, recordName: string, region: string): void {
  const timeout = fn.timeout;
  if (!timeout || timeout.isUnresolved() || timeout.toMilliseconds() <= INTEGRATION_TIMEOUT_S * 1000) {
    return;
  }
  Annotations.of(scope).addWarningV2('cdk-multi-region-failover:integration-timeout',
    `The routes' function of ${recordName} in ${region} has a timeout of ${timeout.toMilliseconds() / 1000} s, `
    + `over the ${INTEGRATION_TIMEOUT_S} s integration timeout of API Gateway REST APIs: after ${INTEGRATION_TIMEOUT_S} s API Gateway answers 504 `
    + `while the function keeps running. Keep it at ${INTEGRATION_TIMEOUT_S} s or less. A Regional REST API's integration timeout can go above `
    + `${INTEGRATION_TIMEOUT_S} s after a Service Quotas increase (which may lower the account's throttle quota), but this construct's `
    + `integrations keep the default ${INTEGRATION_TIMEOUT_S} s: you would also set \`TimeoutInMillis\` on them yourself`);
}
