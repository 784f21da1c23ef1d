/**
 * Types and errors of the read-replica promotion handler (`promote.lambda.ts`), kept apart so the logic file stays
 * readable. Bundled into the handler by esbuild; not part of the library's public API.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';

/**
 * `planned`: the operator stopped writes on the primary and wants no data loss, so the replica's `ReplicaLag` must be
 * known and within the limit. `unplanned`: the primary's region is down; promote whatever the replica has.
 */
export type PromotionMode = 'planned' | 'unplanned';

/** The CloudWatch metric the handler publishes for the writer DNS name (see `writer-dns.ts`). */
export interface PromotionMetric {
  readonly namespace: string;
  readonly metricName: string;
}

/** Static configuration, rendered by the construct into the `PROMOTE_CONFIG` environment variable. */
export interface PromoteConfig {
  /** The DB instance of this region, `<identifier>-<region>`. */
  readonly instanceIdentifier: string;
  /** Its ARN. */
  readonly instanceArn: string;
  /** The region the handler runs in (the instance's). */
  readonly region: string;
  /** SNS topic for notifications. */
  readonly topicArn: string;
  /** Automated backup retention the promoted instance gets (`PromoteReadReplica` `BackupRetentionPeriod`). */
  readonly backupRetentionDays: number;
  /** Largest `ReplicaLag` (seconds) a planned promotion accepts. */
  readonly maxReplicaLagSeconds: number;
  /**
   * The metric that tells the writer DNS name which instance was promoted; none without `writerDnsRecord`.
   * @default - nothing is published
   */
  readonly promotionMetric?: PromotionMetric;
}

/** AWS clients and side effects, injected. */
export interface PromoteDeps {
  readonly rds: RDSClient;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
  readonly cloudwatch: CloudWatchClient;
  /** Delay between retries of throttled calls. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Current time. */
  readonly now?: () => Date;
}

/** What the execution was started with. */
export interface PromoteRequest {
  /** `planned` (default) or `unplanned`. */
  readonly mode?: string;
  /** Overrides the configured lag limit (seconds) of a planned promotion. */
  readonly maxReplicaLagSeconds?: number;
}

/** Execution context, from the state machine's context object. */
export interface ExecutionContext {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly startTime: string;
}

/** The result of the pre-checks, carried through the execution. */
export interface PromotionPlan {
  readonly mode: PromotionMode;
  readonly instanceIdentifier: string;
  /** The replica's source (the old primary's ARN) at pre-check time. */
  readonly sourceArn: string;
  /** `ReplicaLag` (seconds) read by a planned promotion. */
  readonly replicaLagSeconds?: number;
  readonly startedAt: string;
}

/** The result of `promote`. */
export interface PromoteResult {
  /** True when a retry found the promotion already running or done. */
  readonly alreadyStarted: boolean;
}

/** The result of one status poll. */
export interface PollResult {
  readonly attempt: number;
  /** The instance is `available` and no longer a read replica. */
  readonly done: boolean;
  readonly status: string;
  readonly isReplica: boolean;
  /** Whether the promotion metric was published (done, with a writer DNS name). */
  readonly published?: boolean;
}

/** What the scheduled watcher saw and published. */
export interface WatchResult {
  /** `promoted` (writable standalone), `replica`, or `unknown` (missing, or between states: nothing published). */
  readonly state: string;
  readonly status?: string;
  /** The value published (1 promoted, 0 replica), if any. */
  readonly published?: number;
}

/** The result of `notify`. */
export interface NotifyResult {
  readonly durationSeconds: number;
  readonly messageId?: string;
}

/** What a state knows when it notifies. */
export interface ExecutionState {
  readonly request?: PromoteRequest;
  readonly plan?: PromotionPlan;
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

/** The event each state (and the watcher's schedule) sends. */
export interface PromoteEvent {
  readonly action: 'precheck' | 'promote' | 'status' | 'notify' | 'watch';
  /** Absent for `watch` (EventBridge schedule). */
  readonly execution?: ExecutionContext;
  readonly request?: PromoteRequest;
  readonly plan?: PromotionPlan;
  readonly poll?: PollResult;
  /** For `notify`: `succeeded`, `refused`, `failed` or `stuck`. */
  readonly outcome?: string;
  /** For `notify`: the execution's state. */
  readonly state?: ExecutionState;
}

/** Errors the pre-check throws to refuse a promotion (nothing has changed yet). */
export const REFUSALS = [
  'InvalidRequest', 'ReplicaNotFound', 'NotAReplica', 'ReplicaNotReady', 'ReplicaLagUnknown', 'ReplicaLagTooHigh',
  'ReplicationNotActive', 'OperationInProgress',
] as const;

/** An error whose `name` the state machine matches in Catch and Retry clauses. */
export class PromotionError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
    Object.setPrototypeOf(this, PromotionError.prototype);
  }
}
