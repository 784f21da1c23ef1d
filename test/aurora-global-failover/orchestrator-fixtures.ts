import {
  DescribeDBClustersCommand, DescribeGlobalClustersCommand, GlobalCluster, RDSClient,
} from '@aws-sdk/client-rds';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { Deps, ExecutionContext, OrchestratorConfig, Plan } from '../../src/aurora-global-failover/orchestrator.lambda';

/** Shared fixtures of the orchestrator handler tests (every AWS client is mocked). */
export const rds = mockClient(RDSClient);
export const sfn = mockClient(SFNClient);
export const sns = mockClient(SNSClient);

export const PRIMARY = 'arn:aws:rds:us-east-1:111111111111:cluster:orders-us-east-1';
export const SECONDARY = 'arn:aws:rds:us-west-2:111111111111:cluster:orders-us-west-2';
export const OUTSIDER = 'arn:aws:rds:eu-west-1:111111111111:cluster:orders-eu-west-1';
export const SM = 'arn:aws:states:us-west-2:111111111111:stateMachine:orders-failover';
export const EXEC = `${SM.replace(':stateMachine:', ':execution:')}:run-2`;

export const config: OrchestratorConfig = {
  globalClusterIdentifier: 'orders',
  region: 'us-west-2',
  clusterArns: { 'us-east-1': PRIMARY, 'us-west-2': SECONDARY, 'eu-west-1': OUTSIDER },
  topicArn: 'arn:aws:sns:us-west-2:111111111111:alarms',
  maxReplicationLagMs: 1000,
};
export const execution: ExecutionContext = { executionArn: EXEC, stateMachineArn: SM, startTime: '2026-11-22T10:00:00.000Z' };

/** What the fake lag reader returns, and what the fakes recorded. */
export const state: { lag: number | undefined; lagCalls: string[]; sleeps: number[] } = { lag: 120, lagCalls: [], sleeps: [] };

export function deps(overrides: Partial<Deps> = {}): Deps {
  return {
    rds: (region) => new RDSClient({ region }),
    sfn: new SFNClient({ region: 'us-west-2' }),
    sns: new SNSClient({ region: 'us-west-2' }),
    lag: async (region, id) => {
      state.lagCalls.push(`${region}/${id}`);
      return state.lag;
    },
    sleep: async (ms) => {
      state.sleeps.push(ms);
    },
    now: () => new Date('2026-11-22T10:01:23.000Z'),
    ...overrides,
  };
}

export function globalCluster(overrides: Partial<GlobalCluster> = {}, writer = PRIMARY): GlobalCluster {
  return {
    GlobalClusterIdentifier: 'orders',
    Status: 'available',
    GlobalClusterMembers: [PRIMARY, SECONDARY].map((arn) => ({ DBClusterArn: arn, IsWriter: arn === writer })),
    ...overrides,
  };
}

export function throttle(name = 'Throttling'): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $metadata: { httpStatusCode: 400 } });
}

export const plan = (mode: 'switchover' | 'failover' = 'switchover'): Plan => ({
  mode,
  globalClusterIdentifier: 'orders',
  targetRegion: 'us-west-2',
  targetClusterArn: SECONDARY,
  previousWriterArn: PRIMARY,
  writerRegion: 'us-east-1',
  startedAt: execution.startTime,
});

/** The region of the client that sent the n-th call of `command`. */
export async function regionOf(command: any, n = 0): Promise<string> {
  return (rds.commandCalls(command)[n].thisValue as RDSClient).config.region();
}

/** Healthy defaults: only this execution runs, global cluster available with the primary as writer, target available. */
export function resetMocks(): void {
  rds.reset();
  sfn.reset();
  sns.reset();
  state.lag = 120;
  state.lagCalls.length = 0;
  state.sleeps.length = 0;
  sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: EXEC, stateMachineArn: SM, name: 'run-2', status: 'RUNNING', startDate: new Date(execution.startTime) }] });
  rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster()] });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterArn: SECONDARY, Status: 'available', DBClusterMembers: [{ DBInstanceIdentifier: 'i1' }] }] });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
}
