/**
 * Real-AWS drill for RdsCrossRegionReplica: promote the us-east-2 replica, prove it is a standalone writer, then rebuild
 * the replica relationship the way the README runbook does, and prove that too.
 *
 * Deploys RDS for PostgreSQL 17 (db.t4g.micro, the smallest class; the primary Multi-AZ, the replica single-AZ to halve
 * the drill's cost) in us-east-1 with an encrypted cross-Region read replica in us-east-2, `removalPolicy: DESTROY`
 * (deletion protection off), everything destroyed afterwards. No writer DNS name: it needs a hosted zone of your account
 * (its records and health checks are covered by the unit tests). From the assertion stack in us-east-2 (integ-tests
 * calls go to the assertion stack's region):
 *   1. start the us-east-2 state machine with { mode: 'unplanned' } (a fresh replica of an idle PostgreSQL primary has a
 *      growing ReplicaLag, so the planned gate would rightly refuse); wait for SUCCEEDED;
 *   2. an independent check (a small function of the assertion stack calling DescribeDBInstances): the instance is
 *      `available` and has no `ReadReplicaSourceDBInstanceIdentifier`;
 *   3. rebuild, as the runbook does: rename the promoted instance to `<id>-promoted`; create the read replica again with
 *      the original identifier from the primary's ARN (`SourceRegion`, the region's KMS key and security group read from
 *      the stack's SSM parameters, its named subnet and parameter groups); wait until DescribeDBInstances shows it
 *      `available` with `ReadReplicaSourceDBInstanceIdentifier` = the primary's ARN; delete the renamed instance.
 * integ-runner then destroys the stacks: CloudFormation deletes the re-created replica (same identifier, so the same
 * physical resource as far as the stack knows) and the primary.
 *
 * Not deployed from this repository's CI (no AWS account there): `npx projen integ:deploy` runs it with
 * CDK_INTEG_ACCOUNT set to the account of your credentials.
 * Cost: a Multi-AZ and two single-AZ db.t4g.micro instances over the drill (cents per hour each), 20 GiB of gp3 each,
 * cross-Region data transfer, a Secrets Manager secret and its replica, for the ~90-150 minutes the deploy (a
 * cross-Region replica is created from a snapshot copied across Regions: AWS says "this process can take hours"),
 * drill and destroy take.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { integAccount } from './integ-env';
import { RdsCrossRegionReplica } from '../src/rds-cross-region-replica';

const account = integAccount();
const app = new App();
const ID = 'rdsx-integ';
const PRIMARY = 'us-east-1';
const REPLICA = 'us-east-2';
const replicaId = `${ID}-${REPLICA}`;
const primaryArn = `arn:aws:rds:${PRIMARY}:${account}:db:${ID}-${PRIMARY}`;

const db = new RdsCrossRegionReplica(app, 'RdsReplicaInteg', {
  account,
  regions: [PRIMARY, REPLICA],
  instanceIdentifier: ID,
  engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_5 }),
  instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
  allocatedStorage: 20,
  replicaMultiAz: false,
  backupRetention: Duration.days(1),
  removalPolicy: RemovalPolicy.DESTROY,
  clientEndpoints: false,
  logRetention: logs.RetentionDays.ONE_DAY,
  pollInterval: Duration.seconds(30),
});

const assertionStack = new Stack(app, 'RdsReplicaIntegAssertions', { env: { account, region: REPLICA } });
const integ = new IntegTest(app, 'RdsCrossRegionReplicaTest', {
  testCases: db.stacks,
  assertionStack,
  diffAssets: false,
  cdkCommandOptions: { destroy: { args: { force: true } } },
});

const wait = { totalTimeout: Duration.minutes(60), interval: Duration.seconds(30) };

// 1. Promote with the construct's state machine (no execution name: re-runs never collide).
const start = integ.assertions.awsApiCall('SFN', 'startExecution', {
  stateMachineArn: `arn:aws:states:${REPLICA}:${account}:stateMachine:${ID}-promote-replica`,
  input: JSON.stringify({ mode: 'unplanned' }),
});
const finished = integ.assertions.awsApiCall('SFN', 'describeExecution', { executionArn: start.getAttString('executionArn') });
finished.expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' })).waitForAssertions(wait);

// 2. An independent reader: "<status>/<ReadReplicaSourceDBInstanceIdentifier or none>" (integ-tests cannot assert that a key is absent).
const reader = new lambda.Function(assertionStack, 'InstanceRoleReader', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  timeout: Duration.seconds(30),
  code: lambda.Code.fromInline([
    'const { RDSClient, DescribeDBInstancesCommand } = require("@aws-sdk/client-rds");',
    'exports.handler = async (event) => {',
    '  const out = await new RDSClient({}).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: event.id }));',
    '  const db = out.DBInstances[0];',
    '  return `${db.DBInstanceStatus}/${db.ReadReplicaSourceDBInstanceIdentifier ?? "none"}`;',
    '};',
  ].join('\n')),
});
reader.addToRolePolicy(new iam.PolicyStatement({
  actions: ['rds:DescribeDBInstances'],
  resources: [`arn:aws:rds:${REPLICA}:${account}:db:${replicaId}*`],
}));
const roleOf = (id: string, expected: string) => {
  const call = integ.assertions.invokeFunction({ functionName: reader.functionName, payload: JSON.stringify({ id }) });
  call.expect(ExpectedResult.objectLike({ Payload: Match.stringLikeRegexp(expected) })).waitForAssertions(wait);
  return call;
};
const standalone = roleOf(replicaId, 'available/none');

// 3. Rebuild the replica relationship (README runbook, "Rebuild the replica").
const rename = integ.assertions.awsApiCall('RDS', 'modifyDBInstance', {
  DBInstanceIdentifier: replicaId,
  NewDBInstanceIdentifier: `${replicaId}-promoted`,
  ApplyImmediately: true,
});
const renamed = roleOf(`${replicaId}-promoted`, 'available/none');
const parameter = (name: string) => integ.assertions.awsApiCall('SSM', 'getParameter', {
  Name: `/cdk-multi-region-failover/rds/${ID}/${REPLICA}/${name}`,
});
const kmsKey = parameter('kms-key-arn');
const securityGroup = parameter('security-group-id');
const recreate = integ.assertions.awsApiCall('RDS', 'createDBInstanceReadReplica', {
  DBInstanceIdentifier: replicaId,
  SourceDBInstanceIdentifier: primaryArn,
  SourceRegion: PRIMARY,
  KmsKeyId: kmsKey.getAttString('Parameter.Value'),
  DBInstanceClass: 'db.t4g.micro',
  MultiAZ: false,
  StorageType: 'gp3',
  DBSubnetGroupName: replicaId,
  DBParameterGroupName: replicaId,
  VpcSecurityGroupIds: [securityGroup.getAttString('Parameter.Value')],
  PubliclyAccessible: false,
  EnableIAMDatabaseAuthentication: true,
  EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
  CopyTagsToSnapshot: true,
  DeletionProtection: false,
});
// An encrypted cross-Region replica: RDS uses the caller's grants on the destination key.
recreate.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:DescribeKey'], Resource: ['*'] });
const replicaAgain = integ.assertions.awsApiCall('RDS', 'describeDBInstances', { DBInstanceIdentifier: replicaId });
replicaAgain.expect(ExpectedResult.objectLike({
  DBInstances: [Match.objectLike({ DBInstanceStatus: 'available', ReadReplicaSourceDBInstanceIdentifier: primaryArn })],
})).waitForAssertions({ totalTimeout: Duration.minutes(120), interval: Duration.seconds(60) });
const deleteOld = integ.assertions.awsApiCall('RDS', 'deleteDBInstance', {
  DBInstanceIdentifier: `${replicaId}-promoted`,
  SkipFinalSnapshot: true,
  DeleteAutomatedBackups: true,
});

start.next(finished).next(standalone).next(rename).next(renamed).next(kmsKey).next(securityGroup).next(recreate).next(replicaAgain).next(deleteOld);
