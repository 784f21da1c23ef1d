import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ACCOUNT, synthErrors } from './helpers';
import { GlobalWriterEndpoint, GlobalWriterEndpointProps } from '../../src/aurora-global-failover';
import { nagErrors } from '../util/nag';

const DNS = { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com' };

/** A `GlobalWriterEndpoint` alone in a us-west-2 stack. */
function endpoint(props: Partial<GlobalWriterEndpointProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'App', { env: { account: ACCOUNT, region: 'us-west-2' } });
  const construct = new GlobalWriterEndpoint(stack, 'Writer', { globalClusterIdentifier: 'orders', ...props });
  return { app, stack, construct };
}


describe('GlobalWriterEndpoint alone', () => {
  test('reads DescribeGlobalClusters in its own region, allowed on this global cluster only; no record by default', () => {
    const { stack, construct } = endpoint();
    expect(nagErrors(stack)).toEqual([]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('Custom::AWS', {
      Create: Match.stringLikeRegexp('"action":"describeGlobalClusters","parameters":\\{"GlobalClusterIdentifier":"orders"\\}'),
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'rds:DescribeGlobalClusters', Effect: 'Allow', Resource: `arn:aws:rds::${ACCOUNT}:global-cluster:orders` }] },
    });
    t.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(construct.cname).toBeUndefined();
    expect(stack.resolve(construct.address)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WriterReader/), 'GlobalClusters.0.Endpoint'] });
  });

  test('readAfter: the read waits for the member cluster', () => {
    const { stack } = endpoint({ readAfter: [] });
    const topic = new sns.Topic(stack, 'Member');
    const later = new GlobalWriterEndpoint(stack, 'Later', { globalClusterIdentifier: 'orders', readAfter: [topic] });
    expect(later.address).toBeDefined();
    const t = Template.fromStack(stack);
    const [id, reader] = Object.entries<any>(t.findResources('Custom::AWS')).find(([logicalId]) => logicalId.startsWith('LaterReader'))!;
    expect(id).toBeDefined();
    expect(reader.DependsOn).toEqual([expect.stringMatching(/^LaterReaderCustomResourcePolicy/), expect.stringMatching(/^Member/)]);
  });

  test('writerDnsRecord: a static CNAME to the endpoint', () => {
    const { stack, construct } = endpoint({ writerDnsRecord: { ...DNS, ttl: Duration.seconds(60) } });
    expect(nagErrors(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0123456789ABC',
      Name: 'writer.db.example.com.',
      Type: 'CNAME',
      TTL: '60',
      ResourceRecords: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WriterReader'), 'GlobalClusters.0.Endpoint'] }],
    });
    expect(construct.cname).toBeDefined();
  });

  test('a bad record name and TTL are collected; two endpoints claiming one name fail synthesis', () => {
    const { app, stack } = endpoint({ writerDnsRecord: { ...DNS, recordName: 'my_db!.example.com', ttl: Duration.days(3) } });
    new GlobalWriterEndpoint(stack, 'Twin', { globalClusterIdentifier: 'orders', writerDnsRecord: DNS });
    new GlobalWriterEndpoint(stack, 'Triplet', { globalClusterIdentifier: 'orders', writerDnsRecord: DNS });
    expect(synthErrors(app)).toEqual([
      '  [App/Writer] `writerDnsRecord.recordName` must be a host name because clients connect to it as the database host: labels of 1 to 63 letters, digits and hyphens, no hyphen at either end (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html); invalid label "my_db!" in: my_db!.example.com',
      '  [App/Writer] `writerDnsRecord.ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 259200 s',
      '  [App/Twin] `writerDnsRecord.recordName` writer.db.example.com in hosted zone Z0123456789ABC is also claimed by App/Triplet: one name can belong to one construct only (give each its own name)',
      '  [App/Triplet] `writerDnsRecord.recordName` writer.db.example.com in hosted zone Z0123456789ABC is also claimed by App/Twin: one name can belong to one construct only (give each its own name)',
    ]);
  });

  test.each<[string, Partial<GlobalWriterEndpointProps>, string]>([
    ['bad identifier', { globalClusterIdentifier: 'orders-' },
      '`globalClusterIdentifier` must be 1 to 48 letters, digits or single hyphens, starting with a letter and not ending with a hyphen, got: orders-'],
    ['bad zone id', { writerDnsRecord: { hostedZoneId: 'abc', recordName: 'w.example.com' } },
      '`writerDnsRecord.hostedZoneId` must be a concrete Route 53 hosted zone id (Z...), got: abc'],
    ['record at the zone apex', { writerDnsRecord: { ...DNS, recordName: 'example.com', zoneName: 'example.com' } },
      '`writerDnsRecord.recordName` must be a name inside the hosted zone example.com, not the zone name itself (the writer record is a CNAME, and a CNAME cannot be at the zone apex), got: example.com'],
  ])('%s', (_name, props, message) => {
    expect(() => endpoint(props)).toThrow(message);
  });
});
