/**
 * Types and helpers of the global datastore promotion Lambda (`promote.lambda.ts`), kept apart so the logic file stays
 * readable. Bundled into the handler by esbuild; not part of the library's public API. The retry and error helpers are
 * the Aurora orchestrator's (same semantics: throttling retried with backoff, then `Throttling` for the state machine).
 */
import type { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';

export { errorMessage, isThrottling, OrchestratorError, withRetry } from '../aurora-global-failover/orchestrator-core';
export type { ExecutionContext } from '../aurora-global-failover/orchestrator-core';
import type { ExecutionContext } from '../aurora-global-failover/orchestrator-core';

/** Static configuration, rendered by the construct into the `PROMOTE_CONFIG` environment variable. */
export interface PromoteConfig {
  /** The cache name (the global datastore's suffix). */
  readonly cacheName: string;
  /** The global datastore's id (with AWS's prefix). */
  readonly globalReplicationGroupId: string;
  /** The region this function runs in: the default target. */
  readonly region: string;
  /** The replication group id of every region of the global datastore. */
  readonly replicationGroupIds: { [region: string]: string };
  /** SNS topic for notifications. */
  readonly topicArn: string;
}

/** AWS clients and side effects, injected. */
export interface PromoteDeps {
  /** An ElastiCache client for a region. */
  readonly elasticache: (region: string) => ElastiCacheClient;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
  /** Delay between retries of throttled calls. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Current time. */
  readonly now?: () => Date;
}

/** What a promotion is started with. */
export interface PromoteRequest {
  /** The region to promote. Default: the region of the function that runs. */
  readonly targetRegion?: string;
}

/** The result of the pre-checks, carried through the execution. */
export interface PromotePlan {
  readonly globalReplicationGroupId: string;
  readonly targetRegion: string;
  readonly targetReplicationGroupId: string;
  /** The primary member at pre-check time, if the global datastore reported one. */
  readonly previousPrimaryRegion?: string;
  readonly previousPrimaryReplicationGroupId?: string;
  readonly startedAt: string;
}

/** The result of `promote`. */
export interface PromoteStart {
  readonly operation: 'FailoverGlobalReplicationGroup';
  /** True when a retry found the target already primary (the first call went through). */
  readonly alreadyStarted: boolean;
}

/** The result of one status poll. */
export interface PromotePoll {
  readonly attempt: number;
  readonly done: boolean;
  /** The global datastore's status (informational: not the completion signal). */
  readonly status: string;
  /** The region of the member whose role is PRIMARY. */
  readonly primaryRegion?: string;
  /** The target replication group's status, read once it is the primary. */
  readonly targetStatus?: string;
}

/** What the execution gathered so far, for `notify`. */
export interface PromoteState {
  readonly request?: PromoteRequest;
  readonly plan?: PromotePlan;
  readonly poll?: PromotePoll;
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/** What `notify` reports. */
export interface PromoteNotifyInput extends PromoteState {
  /** `succeeded`, `refused`, `failed` or `stuck`. */
  readonly outcome: string;
  readonly executionStartTime: string;
  readonly executionArn?: string;
}

/** The result of `notify`. */
export interface PromoteNotifyResult {
  readonly durationSeconds: number;
  readonly messageId?: string;
}

/**
 * The event of each state, or of a direct invocation. Without `action` (or with `run`) the function pre-checks and
 * starts the promotion in one call and returns `{ plan, start }`: `{ "targetRegion": "us-west-2" }`.
 */
export interface PromoteEvent {
  readonly action?: 'precheck' | 'promote' | 'status' | 'notify' | 'run';
  readonly execution?: ExecutionContext;
  readonly request?: PromoteRequest;
  /** Direct invocation: the region to promote. */
  readonly targetRegion?: string;
  readonly plan?: PromotePlan;
  readonly poll?: PromotePoll;
  /** For `notify`. */
  readonly outcome?: string;
  /** For `notify`: the execution's state. */
  readonly state?: PromoteState;
}

/** Errors the pre-check throws to refuse a promotion (nothing has changed yet). */
export const PROMOTE_REFUSALS = [
  'InvalidRequest', 'TargetNotMember', 'TargetAlreadyPrimary', 'TargetNotAvailable', 'GlobalDatastoreNotFound', 'GlobalDatastoreNotAvailable',
  'OperationInProgress',
];
