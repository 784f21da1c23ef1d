import { cloudWatchAlarm, FixtureStack, tmpAssemblyDir, writeAssembly } from './fixtures';
import { OutageSimulator, SimulatedFlow, SimulationResult } from '../../src/simulator';

/** Hand-written pieces of database assemblies (the shapes AuroraGlobalFailover, TableV2 and CloudFormation use). */

export const ACCOUNT = '111111111111';

/** Writes the stacks and simulates the outage of `outage`. */
export function simulate(stacks: FixtureStack[], outage: string): SimulationResult {
  return OutageSimulator.fromAssembly(writeAssembly(tmpAssemblyDir('sim-db-'), stacks)).run({ outage });
}

/** The flow `id` of a result (fails the test when absent). */
export function flow(result: SimulationResult, id: string): SimulatedFlow {
  const f = result.flows.find((x) => x.id === id);
  if (!f) throw new Error(`no flow ${id}; flows: ${result.flows.map((x) => x.id).join(', ')}`);
  return f;
}

/** An `AWS::RDS::GlobalCluster`. */
export function globalCluster(gid: string): any {
  return { Type: 'AWS::RDS::GlobalCluster', Properties: { GlobalClusterIdentifier: gid, Engine: 'aurora-postgresql', StorageEncrypted: true } };
}

/**
 * A member `AWS::RDS::DBCluster`. The primary joins by `Ref` and has master credentials (as AuroraGlobalFailover writes
 * it); a secondary names the global cluster by its identifier and has none.
 */
export function memberCluster(gid: string, region: string, primary: boolean, parameterGroup?: string): any {
  return {
    Type: 'AWS::RDS::DBCluster',
    Properties: {
      DBClusterIdentifier: `${gid}-${region}`,
      Engine: 'aurora-postgresql',
      GlobalClusterIdentifier: primary ? { Ref: 'GlobalCluster' } : gid,
      ...(primary ? { MasterUsername: 'clusteradmin', MasterUserPassword: 'x' } : {}),
      ...(parameterGroup ? { DBClusterParameterGroupName: { Ref: parameterGroup } } : {}),
    },
  };
}

/** A cluster parameter group with managed RPO (`rds.global_db_rpo`). */
export function rpoParameterGroup(seconds: number): any {
  return { Type: 'AWS::RDS::DBClusterParameterGroup', Properties: { Family: 'aurora-postgresql16', Parameters: { 'rds.global_db_rpo': String(seconds) } } };
}

/**
 * The failover orchestrator of one region, as AuroraGlobalFailover builds it: a state machine whose tasks invoke a
 * function allowed to call rds:FailoverGlobalCluster on the global cluster, polling every `waitSeconds`.
 */
export function orchestrator(gid: string, waitSeconds: number = 15, extraActions: string[] = []): { [id: string]: any } {
  return {
    Handler: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['HandlerRole', 'Arn'] } } },
    HandlerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    HandlerPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'HandlerRole' }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'], Resource: [`arn:aws:rds::${ACCOUNT}:global-cluster:${gid}`] },
            ...(extraActions.length ? [{ Effect: 'Allow', Action: extraActions, Resource: '*' }] : []),
          ],
        },
      },
    },
    StateMachine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: `${gid}-failover`,
        DefinitionString: {
          'Fn::Join': ['', [
            '{"StartAt":"Start","States":{"Start":{"Type":"Task","Resource":"',
            { 'Fn::GetAtt': ['Handler', 'Arn'] },
            `","Next":"WaitForGlobalCluster"},"WaitForGlobalCluster":{"Type":"Wait","Seconds":${waitSeconds},"Next":"Done"},"Done":{"Type":"Succeed"}}}`,
          ]],
        },
      },
    },
  };
}

/** An alarm on the replication lag of cluster `cluster`, of `periods` one-minute datapoints (AuroraGlobalFailover's shape). */
export function metricAlarm(periods: number, treatMissingData: string = 'notBreaching', cluster: string = 'orders-us-west-2'): any {
  return cloudWatchAlarm('AWS/RDS', 'AuroraGlobalDBReplicationLag', { Name: 'DBClusterIdentifier', Value: cluster }, {
    EvaluationPeriods: periods,
    DatapointsToAlarm: periods,
    Threshold: 60000,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: treatMissingData,
  });
}

/**
 * AuroraGlobalFailover's automatic trigger in the target region: `PrimaryLostAlarm` =
 * ALARM(primary health, by ARN) AND (ALARM(stalled) OR ALARM(data missing)), and an EventBridge rule that starts the
 * state machine with `input`.
 */
export function autoTrigger(primaryHealthArn: string, periods: number, input: any): { [id: string]: any } {
  return {
    Stalled: metricAlarm(periods),
    Missing: { Type: 'AWS::CloudWatch::Alarm', Properties: { ...metricAlarm(periods, 'breaching').Properties, ComparisonOperator: 'LessThanThreshold', Threshold: 0 } },
    PrimaryLost: {
      Type: 'AWS::CloudWatch::CompositeAlarm',
      Properties: {
        AlarmRule: {
          'Fn::Join': ['', [
            `(ALARM("${primaryHealthArn}") AND (ALARM("`, { 'Fn::GetAtt': ['Stalled', 'Arn'] }, '") OR ALARM("', { 'Fn::GetAtt': ['Missing', 'Arn'] }, '")))',
          ]],
        },
      },
    },
    AutoFailoverRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], 'resources': [{ 'Fn::GetAtt': ['PrimaryLost', 'Arn'] }] },
        Targets: [{ Arn: { Ref: 'StateMachine' }, Id: 'Target0', Input: JSON.stringify(input) }],
      },
    },
  };
}

/** Two regions (us-east-1 writer, us-west-2 secondary), an orchestrator in each; `extra` adds resources per region. */
export function twoRegionAurora(extra: { primary?: { [id: string]: any }; secondary?: { [id: string]: any } } = {}): FixtureStack[] {
  return [
    {
      name: 'db-use1',
      region: 'us-east-1',
      resources: { GlobalCluster: globalCluster('orders'), Cluster: memberCluster('orders', 'us-east-1', true), ...orchestrator('orders'), ...extra.primary },
    },
    {
      name: 'db-usw2',
      region: 'us-west-2',
      resources: { Cluster: memberCluster('orders', 'us-west-2', false), ...orchestrator('orders'), ...extra.secondary },
    },
  ];
}

/** The custom resource that reads the global writer endpoint (DescribeGlobalClusters), and a CNAME to it. */
export function writerCname(gid: string, ttl: number = 30): { [id: string]: any } {
  const call = JSON.stringify({ service: 'RDS', action: 'describeGlobalClusters', parameters: { GlobalClusterIdentifier: gid }, outputPaths: ['GlobalClusters.0.Endpoint'] });
  return {
    WriterEndpointReader: { Type: 'Custom::AWS', Properties: { Create: call, Update: call } },
    WriterCname: {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        HostedZoneId: 'Z0EXAMPLE0000000000',
        Name: 'writer.db.example.com.',
        Type: 'CNAME',
        TTL: String(ttl),
        ResourceRecords: [{ 'Fn::GetAtt': ['WriterEndpointReader', 'GlobalClusters.0.Endpoint'] }],
      },
    },
  };
}
