import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ACCOUNT, build, synthErrors } from './helpers';
import { AuroraGlobalPrimaryStack, AuroraGlobalPrimaryStackProps } from '../../src/aurora-global-failover';
import { nagErrors } from '../util/nag';

const DNS = { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com' };

/** An `AuroraGlobalPrimaryStack` alone in an App: us-east-1, global cluster `orders`, one secondary region. */
function primary(props: Partial<AuroraGlobalPrimaryStackProps> = {}) {
  const app = new App();
  const stack = new AuroraGlobalPrimaryStack(app, 'Primary', {
    env: { account: ACCOUNT, region: 'us-east-1' },
    globalClusterIdentifier: 'orders',
    regions: ['us-east-1', 'us-west-2'],
    ...props,
  });
  return { app, stack };
}


describe('AuroraGlobalPrimaryStack alone', () => {
  test('global cluster, primary cluster joining it by Ref, master secret replicated to the other regions, orchestrator', () => {
    const { stack } = primary({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'] });
    expect(nagErrors(stack)).toEqual([]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::GlobalCluster', {
      GlobalClusterIdentifier: 'orders', Engine: 'aurora-postgresql', StorageEncrypted: true, DeletionProtection: true,
    });
    const globalId = Object.keys(t.findResources('AWS::RDS::GlobalCluster'))[0];
    t.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterIdentifier: 'orders-us-east-1', GlobalClusterIdentifier: { Ref: globalId } });
    t.resourceCountIs('AWS::RDS::DBInstance', 2);
    t.hasResourceProperties('AWS::SecretsManager::Secret', { ReplicaRegions: [{ Region: 'us-west-2' }, { Region: 'eu-west-1' }] });
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'orders-failover' });
    t.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(Object.keys(t.toJSON().Outputs).sort()).toEqual(['ReaderEndpoint', 'SecretArn', 'StateMachineArn']);
    expect(stack.templateOptions.description).toBe('Aurora global database orders: primary region us-east-1 (cdk-multi-region-failover)');
    // AZs resolve at deploy time: no context lookup, no credentials at synthesis.
    expect(stack.availabilityZones).toHaveLength(2);
    expect(stack.resolve(stack.availabilityZones[0])).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
  });

  test('exposes its parts: cluster, secret, global cluster, orchestrator and the region\'s resources', () => {
    const { stack } = primary();
    expect(stack.resources.cluster).toBe(stack.cluster);
    expect(stack.resources.isPrimary).toBe(true);
    expect(stack.resources.stateMachine).toBe(stack.orchestrator.stateMachine);
    expect(stack.resources.clusterArn).toBe(`arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders-us-east-1`);
    expect(stack.alarms).toEqual([]);
    expect(stack.globalCluster.globalClusterIdentifier).toBe('orders');
  });

  test('writerDnsRecord: a CNAME to the global writer endpoint, published as the writer endpoint', () => {
    const { stack } = primary({ writerDnsRecord: DNS });
    expect(nagErrors(stack)).toEqual([]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'writer.db.example.com.',
      Type: 'CNAME',
      TTL: '30',
      ResourceRecords: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^GlobalWriterEndpointReader'), 'GlobalClusters.0.Endpoint'] }],
    });
    t.hasOutput('WriterEndpoint', { Value: 'writer.db.example.com' });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cdk-multi-region-failover/orders/us-east-1/writer-endpoint', Value: 'writer.db.example.com' });
  });

  test('without a record, reading globalWriterEndpoint adds the reader, its SSM parameter and output', () => {
    const { stack } = primary();
    expect(stack.globalWriterEndpoint).toBe(stack.writerEndpoint.address);
    const t = Template.fromStack(stack);
    t.hasOutput('WriterEndpoint', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GlobalWriterEndpointReader'), 'GlobalClusters.0.Endpoint'] } });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cdk-multi-region-failover/orders/us-east-1/writer-endpoint' });
  });

  test('a bad writer record name is reported once, on the writer endpoint', () => {
    const { app } = primary({ writerDnsRecord: { ...DNS, recordName: 'my_db!.example.com' } });
    expect(synthErrors(app)).toEqual([
      '  [Primary/GlobalWriterEndpoint] `writerDnsRecord.recordName` must be a host name because clients connect to it as the database host: labels of 1 to 63 letters, digits and hyphens, no hyphen at either end (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html); invalid label "my_db!" in: my_db!.example.com',
    ]);
  });

  test('inside AuroraGlobalFailover the same error is reported once, on the construct', () => {
    const { app } = build({ writerDnsRecord: { ...DNS, recordName: 'my_db!.example.com' } });
    expect(synthErrors(app).map((l) => l.slice(0, 40))).toEqual(['  [Orders] `writerDnsRecord.recordName` ']);
  });

  test.each<[string, Partial<AuroraGlobalPrimaryStackProps>, string]>([
    ['region not first', { regions: ['us-west-2', 'us-east-1'] }, '`regions` must start with the primary stack\'s region us-east-1, got: us-west-2, us-east-1'],
    ['region missing', { regions: ['eu-west-1', 'us-west-2'] }, '`regions` must include the stack\'s region us-east-1, got: eu-west-1, us-west-2'],
    ['one region', { regions: ['us-east-1'] }, '`regions` needs at least 2 regions (the first is the primary), got: 1'],
    ['bad identifier', { globalClusterIdentifier: '1orders' },
      '`globalClusterIdentifier` must be 1 to 48 letters, digits or single hyphens, starting with a letter and not ending with a hyphen, got: 1orders'],
    ['burstable class', { instanceType: new ec2.InstanceType('t4g.medium') },
      '`instanceType` must be a memory-optimized class supported by Aurora global databases (r5, r6g, r6gd, r6i, r6id, r7g, r7i, r8g, r8gd, x2g), got: t4g.medium'],
    ['managed RPO below 20 s', { managedRpo: Duration.seconds(5) }, '`managedRpo` must be a whole number of seconds of at least 20, got: 5 s'],
    ['bad zone id', { writerDnsRecord: { hostedZoneId: 'abc', recordName: 'w.example.com' } },
      '`writerDnsRecord.hostedZoneId` must be a concrete Route 53 hosted zone id (Z...), got: abc'],
  ])('%s', (_name, props, message) => {
    expect(() => primary(props)).toThrow(message);
  });

  test('an environment-agnostic stack is refused', () => {
    expect(() => new AuroraGlobalPrimaryStack(new App(), 'Primary', { globalClusterIdentifier: 'orders', regions: ['us-east-1', 'us-west-2'] }))
      .toThrow(/^`env` must give stack Primary a concrete account and region \(member ARNs, key policies and the global cluster's members name them\), got: \$\{Token/);
  });
});

describe('AuroraGlobalFailover exposes its building blocks', () => {
  test('the primary and secondary stacks, their orchestrators and the writer endpoint', () => {
    const { db } = build({ writerDnsRecord: DNS }, 3);
    expect(db.primaryDatabaseStack).toBe(db.primaryStack);
    expect(db.primaryDatabaseStack).toBeInstanceOf(AuroraGlobalPrimaryStack);
    expect(db.secondaryDatabaseStacks.map((s) => s.region)).toEqual(['us-west-2', 'eu-west-1']);
    expect(db.stacks).toEqual([db.primaryDatabaseStack, ...db.secondaryDatabaseStacks]);
    expect(db.secondaryDatabaseStacks[0].orchestrator.stateMachine).toBe(db.regionalResources('us-west-2').stateMachine);
    expect(db.primaryDatabaseStack.cluster).toBe(db.primaryCluster);
    expect(db.primaryDatabaseStack.writerEndpoint.cname).toBeDefined();
    expect(db.globalWriterEndpoint).toBe(db.primaryDatabaseStack.writerEndpoint.address);
  });
});
