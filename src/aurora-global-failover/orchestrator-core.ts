/**
 * Types, errors and helpers of the failover orchestrator Lambda (`orchestrator.lambda.ts`), kept apart so the
 * logic file stays readable. Bundled into the handler by esbuild; not part of the library's public API.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';

/** The operation an execution performs. */
export type Mode = 'switchover' | 'failover';

/** Static configuration, rendered by the construct into the `ORCHESTRATOR_CONFIG` environment variable. */
export interface OrchestratorConfig {
  /** The global cluster identifier. */
  readonly globalClusterIdentifier: string;
  /** The region this orchestrator runs in (the default target). */
  readonly region: string;
  /** Member cluster ARN of every region of the global database. */
  readonly clusterArns: { [region: string]: string };
  /** SNS topic for notifications. */
  readonly topicArn: string;
  /** Largest replication lag (ms) that still allows a planned switchover. */
  readonly maxReplicationLagMs: number;
}

/** Reads the latest `AuroraGlobalDBReplicationLag` (ms) of a secondary cluster, or undefined without data. */
export type LagReader = (region: string, clusterIdentifier: string) => Promise<number | undefined>;

/** AWS clients and side effects, injected. */
export interface Deps {
  /** An RDS client for a region. */
  readonly rds: (region: string) => RDSClient;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
  readonly lag: LagReader;
  /** Delay between retries of throttled calls. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Current time. */
  readonly now?: () => Date;
}

/** What the execution was started with. */
export interface OperationRequest {
  /** `switchover` (planned, no data loss; default) or `failover` (unplanned, `AllowDataLoss`). */
  readonly mode?: string;
  /** The region to promote. Default: the region of the state machine that runs. */
  readonly targetRegion?: string;
  /** Overrides the configured lag limit (ms) for a switchover. */
  readonly maxReplicationLagMs?: number;
}

/** Execution context, from the state machine's context object. */
export interface ExecutionContext {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly startTime: string;
}

/** The result of the pre-checks, carried through the execution. */
export interface Plan {
  readonly mode: Mode;
  readonly globalClusterIdentifier: string;
  readonly targetRegion: string;
  readonly targetClusterArn: string;
  readonly previousWriterArn?: string;
  /** The region of the writer at pre-check time: where a switchover must be sent. */
  readonly writerRegion?: string;
  readonly replicationLagMs?: number;
  readonly startedAt: string;
}

/** The result of one status poll. */
export interface PollResult {
  readonly attempt: number;
  readonly done: boolean;
  /** The global cluster's status (informational: it is not the completion signal). */
  readonly status: string;
  readonly writerArn?: string;
  /** The target cluster's status, read once the target is the writer. */
  readonly targetStatus?: string;
}

/** The result of `startOperation`. */
export interface StartResult {
  readonly operation: string;
  /** True when a retry found the operation already running towards (or finished at) the target. */
  readonly alreadyStarted: boolean;
}

/** The result of `notify`. */
export interface NotifyResult {
  readonly durationSeconds: number;
  readonly messageId?: string;
}

/** What a state knows when it notifies: whatever the execution gathered so far. */
export interface ExecutionState {
  readonly request?: OperationRequest;
  readonly plan?: Plan;
  readonly poll?: PollResult;
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/** What `notify` reports. */
export interface NotifyInput extends ExecutionState {
  /** `succeeded`, `refused`, `failed` or `stuck`. */
  readonly outcome: string;
  readonly executionStartTime: string;
  readonly executionArn: string;
}

/** The event each state sends. */
export interface OrchestratorEvent {
  readonly action: 'precheck' | 'start' | 'status' | 'notify';
  readonly execution: ExecutionContext;
  readonly request?: OperationRequest;
  readonly plan?: Plan;
  readonly poll?: PollResult;
  /** For `notify`: `succeeded`, `refused`, `failed` or `stuck`. */
  readonly outcome?: string;
  /** For `notify`: the execution's state. */
  readonly state?: ExecutionState;
}

/** An error whose `name` the state machine matches in Catch and Retry clauses. */
export class OrchestratorError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
    Object.setPrototypeOf(this, OrchestratorError.prototype);
  }
}

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'PriorRequestNotComplete',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown',
]);

/** Whether an AWS SDK error is throttling. */
export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return !!e && (THROTTLING.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429 || e.$retryable?.throttling === true);
}

/**
 * Runs `fn`, retrying throttling errors with exponential backoff (base × 2^n); other errors pass through.
 * After `attempts` throttled tries it throws a `Throttling` error so the state machine's Retry takes over.
 */
export async function withRetry<T>(what: string, fn: () => Promise<T>, deps: Pick<Deps, 'sleep'>, attempts = 4, baseMs = 250): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isThrottling(err)) {
        throw err;
      }
      if (attempt >= attempts) {
        throw new OrchestratorError('Throttling', `${what} was throttled ${attempts} times: ${(err as Error).message}`);
      }
      await sleep(baseMs * 2 ** (attempt - 1));
    }
  }
}

/** The cluster identifier at the end of a cluster ARN. */
export function clusterIdFromArn(arn: string): string {
  return arn.split(':').pop()!;
}

/** The region of a member cluster: from the configuration, else from its ARN (`arn:partition:rds:region:...`). */
export function regionOfCluster(config: OrchestratorConfig, arn: string): string | undefined {
  const configured = Object.entries(config.clusterArns).find(([, a]) => a === arn)?.[0];
  return configured ?? (arn.split(':')[3] || undefined);
}

/** Step Functions passes a Lambda error's Cause as a JSON string `{ errorType, errorMessage }`. */
export function errorMessage(cause: string | undefined): string {
  if (!cause) {
    return '';
  }
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}
