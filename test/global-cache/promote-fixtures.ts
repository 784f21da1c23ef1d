import {
  DescribeGlobalReplicationGroupsCommand, DescribeReplicationGroupsCommand, ElastiCacheClient, GlobalReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { ExecutionContext, PromoteConfig, PromoteDeps, PromotePlan } from '../../src/global-cache/promote.lambda';

/** Shared fixtures of the promotion handler tests (every AWS client is mocked). */
export const elasticache = mockClient(ElastiCacheClient);
export const sfn = mockClient(SFNClient);
export const sns = mockClient(SNSClient);

export const GID = 'ldgnf-sessions';
export const SM = 'arn:aws:states:us-west-2:111111111111:stateMachine:sessions-promote';
export const EXEC = `${SM.replace(':stateMachine:', ':execution:')}:run-2`;

export const config: PromoteConfig = {
  cacheName: 'sessions',
  globalReplicationGroupId: GID,
  region: 'us-west-2',
  replicationGroupIds: { 'us-east-1': 'sessions-us-east-1', 'us-west-2': 'sessions-us-west-2', 'eu-west-1': 'sessions-eu-west-1' },
  topicArn: 'arn:aws:sns:us-west-2:111111111111:alarms',
};
export const execution: ExecutionContext = { executionArn: EXEC, stateMachineArn: SM, startTime: '2026-11-22T10:00:00.000Z' };

/** What the fakes recorded, and the regions whose ElastiCache endpoint is "down" (its client throws). */
export const state: { sleeps: number[]; down: string[]; clientRegions: string[] } = { sleeps: [], down: [], clientRegions: [] };

export function deps(overrides: Partial<PromoteDeps> = {}): PromoteDeps {
  return {
    elasticache: (region) => {
      state.clientRegions.push(region);
      if (state.down.includes(region)) {
        throw Object.assign(new Error(`connect ETIMEDOUT elasticache.${region}.amazonaws.com:443`), { name: 'TimeoutError' });
      }
      return new ElastiCacheClient({ region });
    },
    sfn: new SFNClient({ region: 'us-west-2' }),
    sns: new SNSClient({ region: 'us-west-2' }),
    sleep: async (ms) => {
      state.sleeps.push(ms);
    },
    now: () => new Date('2026-11-22T10:01:23.000Z'),
    ...overrides,
  };
}

/** The global datastore with `primary` as the PRIMARY member; every member associated. */
export function globalDatastore(overrides: Partial<GlobalReplicationGroup> = {}, primary = 'us-east-1'): GlobalReplicationGroup {
  return {
    GlobalReplicationGroupId: GID,
    Status: 'available',
    Members: ['us-east-1', 'us-west-2'].map((region) => ({
      ReplicationGroupId: `sessions-${region}`,
      ReplicationGroupRegion: region,
      Role: region === primary ? 'PRIMARY' : 'SECONDARY',
      Status: 'associated',
    })),
    ...overrides,
  };
}

export function throttle(name = 'Throttling'): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $metadata: { httpStatusCode: 400 } });
}

export const plan = (): PromotePlan => ({
  globalReplicationGroupId: GID,
  targetRegion: 'us-west-2',
  targetReplicationGroupId: 'sessions-us-west-2',
  previousPrimaryRegion: 'us-east-1',
  previousPrimaryReplicationGroupId: 'sessions-us-east-1',
  startedAt: execution.startTime,
});

/** The region of the client that sent the n-th call of `command`. */
export async function regionOf(command: any, n = 0): Promise<string> {
  return (elasticache.commandCalls(command)[n].thisValue as ElastiCacheClient).config.region();
}

/** Healthy defaults: only this execution runs, the global datastore is available with us-east-1 primary, every group available. */
export function resetMocks(): void {
  elasticache.reset();
  sfn.reset();
  sns.reset();
  state.sleeps = [];
  state.down = [];
  state.clientRegions = [];
  sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: EXEC, startDate: new Date(execution.startTime) } as any] });
  elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [globalDatastore()] });
  elasticache.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [{ ReplicationGroupId: 'sessions-us-west-2', Status: 'available' }] });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
}
