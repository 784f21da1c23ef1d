import { App, Duration, Lazy, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { ACCOUNT, build, HEALTH_ALARM, synthErrors, template } from './helpers';
import { AuroraGlobalFailover, AuroraGlobalFailoverProps, AuroraGlobalRegionResources, IAuroraRegionVisitor, IRegionalVpcProvider } from '../../src/aurora-global-failover';
import { restoreEnvAfterEach } from '../util/synth';

const DNS = { hostedZoneId: 'Z0123456789ABC', recordName: 'writer.db.example.com' };
const PARAM = (name: string, region = 'us-west-2') => `/cdk-multi-region-failover/orders/${region}/${name}`;


/** The warnings attached to the construct and its regional stacks. */
function warnings(db: AuroraGlobalFailover): string[] {
  return [db, ...db.stacks].flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)));
}

/** The logical id of the consumer stack's SSM-backed CloudFormation parameter that reads `name`. */
function ssmParameter(t: Template, name: string): string {
  const entry = Object.entries<any>(t.toJSON().Parameters ?? {}).find(([, p]) => p.Default === name);
  if (!entry) {
    throw new Error(`no parameter reads ${name}`);
  }
  expect(entry[1].Type).toBe('AWS::SSM::Parameter::Value<String>');
  return entry[0];
}

/** A consumer stack in `region` (the API's regional stack, say) with a function in the database VPC. */
function consumer(app: App, db: AuroraGlobalFailover, region = 'us-west-2') {
  const stack = new Stack(app, `Api-${region}`, { env: { account: ACCOUNT, region } });
  const vpc = db.vpcProvider.vpcForRegion(stack, region);
  const fn = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  });
  return { stack, vpc, fn };
}

describe('vpcProvider (item 2): the database VPC of each region, for functions of other stacks', () => {
  test('a provider you pass is exposed as is', () => {
    const provider: IRegionalVpcProvider = {
      vpcForRegion: (scope: Construct) => new ec2.Vpc(scope, 'MyVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }),
    };
    const { db } = build({ vpcProvider: provider });
    expect(db.vpcProvider).toBe(provider);
  });

  test('in the construct\'s own regional stack it returns the VPC itself', () => {
    const { db } = build();
    const own = db.regionalResources('us-west-2');
    expect(db.vpcProvider.vpcForRegion(own.stack, 'us-west-2')).toBe(own.vpc);
  });

  test('in another stack of the region it imports the VPC from SSM parameters (weak), with the subnet count known at synth, and depends on the db stack', () => {
    const { app, db } = build();
    const { stack, vpc } = consumer(app, db);
    expect(vpc.isolatedSubnets).toHaveLength(2);
    expect(stack.dependencies).toContain(db.regionalResources('us-west-2').stack);
    const t = Template.fromStack(stack);
    const vpcId = ssmParameter(t, PARAM('vpc-id'));
    const subnets = [0, 1].map((i) => ssmParameter(t, PARAM(`isolated-subnet-${i}`)));
    t.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: subnets.map((p) => ({ Ref: p })), SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^HandlerSecurityGroup'), 'GroupId'] }] },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: { Ref: vpcId } });
    expect(JSON.stringify(t.toJSON())).not.toMatch(/Fn::ImportValue/);
    // The db stack writes the parameters, with deterministic names.
    const dbt = template(db, 'us-west-2');
    dbt.hasResourceProperties('AWS::SSM::Parameter', { Name: PARAM('vpc-id'), Type: 'String', Value: { Ref: Match.stringLikeRegexp('^Vpc') } });
    for (const name of ['isolated-subnet-0', 'isolated-subnet-1', 'isolated-subnet-az-0', 'isolated-subnet-az-1', 'isolated-route-table-0', 'isolated-route-table-1', 'vpc-cidr']) {
      dbt.hasResourceProperties('AWS::SSM::Parameter', { Name: PARAM(name), Type: 'String' });
    }
    expect(JSON.stringify(dbt.toJSON().Outputs ?? {})).not.toMatch(/Export/);
  });

  test('one import per consumer stack; another account is refused (SSM parameters are read in the stack\'s own account)', () => {
    const { app, db } = build();
    const { stack, vpc } = consumer(app, db);
    expect(db.vpcProvider.vpcForRegion(new Construct(stack, 'Inner'), 'us-west-2')).toBe(vpc);
    const other = new Stack(app, 'OtherAccount', { env: { account: '222222222222', region: 'us-west-2' } });
    expect(() => db.vpcProvider.vpcForRegion(other, 'us-west-2')).toThrow(
      '`region` us-west-2: the scope\'s stack OtherAccount must be in account 111111111111 (SSM parameters are read in the stack\'s own account), got: 222222222222');
  });

  test('a scope in another region is refused', () => {
    const { app, db } = build();
    const stack = new Stack(app, 'Elsewhere', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    expect(() => db.vpcProvider.vpcForRegion(stack, 'us-west-2')).toThrow(
      '`region` must be the region of the scope\'s stack Elsewhere (eu-west-1): a VPC can only be used in its own region, got: us-west-2');
  });
});

// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-ddb.html
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html
describe('VPC endpoints in the VPCs the construct creates (item 2)', () => {
  test('a DynamoDB gateway endpoint on the isolated route tables and a Secrets Manager interface endpoint with private DNS, 443 from the VPC only', () => {
    const { db } = build();
    for (const region of ['us-east-1', 'us-west-2']) {
      const t = template(db, region);
      t.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
      const routeTables = Object.keys(t.findResources('AWS::EC2::RouteTable')).sort();
      expect(routeTables).toHaveLength(2);
      const gateway: any = Object.values(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }))[0];
      expect(JSON.stringify(gateway.Properties.ServiceName)).toContain('.dynamodb');
      expect(gateway.Properties.RouteTableIds.map((r: any) => r.Ref).sort()).toEqual(routeTables);
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.${region}.secretsmanager`,
        PrivateDnsEnabled: true,
        SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('DatabaseSubnet1') }]),
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretsManagerEndpointSecurityGroup'), 'GroupId'] }],
      });
      t.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('Secrets Manager endpoint'),
        SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vpc'), 'CidrBlock'] }, Description: Match.anyValue() }],
      });
    }
  });

  test('clientEndpoints: false creates none', () => {
    const { db } = build({ clientEndpoints: false });
    template(db, 'us-west-2').resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  test('none in your own VPCs (vpcProvider): your VPC, your endpoints', () => {
    const provider: IRegionalVpcProvider = {
      vpcForRegion: (scope: Construct) => new ec2.Vpc(scope, 'MyVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }),
    };
    const { db } = build({ vpcProvider: provider });
    template(db, 'us-west-2').resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });
});

describe('connectFunction (item 2): security group rule, secret, endpoints for a function of another stack', () => {
  test('ingress on the cluster SG imported by id from SSM, GetSecretValue on the region\'s replica only, env vars, no export', () => {
    const { app, db } = build({ writerDnsRecord: DNS });
    const { stack, fn } = consumer(app, db);
    db.connectFunction(fn, 'us-west-2');
    const t = Template.fromStack(stack);
    const sg = ssmParameter(t, PARAM('security-group-id'));
    const secret = ssmParameter(t, PARAM('secret-arn'));
    const reader = ssmParameter(t, PARAM('reader-endpoint'));
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { Ref: sg },
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HandlerSecurityGroup'), 'GroupId'] },
    });
    const statements = Object.values<any>(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secret } });
    // The master secret and its replicas use the AWS managed key aws/secretsmanager: GetSecretValue needs no kms:Decrypt grant
    // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
    expect(JSON.stringify(statements)).not.toMatch(/kms:/);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          DB_SECRET_ARN: { Ref: secret },
          DB_WRITER_ENDPOINT: 'writer.db.example.com',
          DB_READER_ENDPOINT: { Ref: reader },
          DB_PORT: '5432',
        },
      },
    });
    expect(JSON.stringify(t.toJSON())).not.toMatch(/Fn::ImportValue/);
    for (const s of db.stacks) {
      expect(JSON.stringify(Template.fromStack(s).toJSON().Outputs ?? {})).not.toMatch(/Export/);
    }
  });

  test('without writerDnsRecord the region\'s stack reads the global writer endpoint at deploy time and publishes it in SSM', () => {
    const { app, db } = build();
    const { stack, fn } = consumer(app, db);
    db.connectFunction(fn, 'us-west-2');
    const t = Template.fromStack(stack);
    const writer = ssmParameter(t, PARAM('writer-endpoint'));
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ DB_WRITER_ENDPOINT: { Ref: writer } }) } });
    const dbt = template(db, 'us-west-2');
    const readers = Object.entries<any>(dbt.findResources('Custom::AWS')).filter(([, r]) => JSON.stringify(r.Properties.Create).includes('describeGlobalClusters'));
    expect(readers).toHaveLength(1);
    dbt.hasResourceProperties('AWS::SSM::Parameter', { Name: PARAM('writer-endpoint'), Value: { 'Fn::GetAtt': [readers[0][0], 'GlobalClusters.0.Endpoint'] } });
  });

  test('the secondary publishes its secret replica ARN (found by the replicated tag in its own region); the primary its secret', () => {
    const { db } = build();
    template(db, 'us-east-1').hasResourceProperties('AWS::SecretsManager::Secret', {
      Tags: Match.arrayWith([{ Key: 'cdk-multi-region-failover/orders/master-secret', Value: 'orders' }]),
    });
    template(db, 'us-east-1').hasResourceProperties('AWS::SSM::Parameter', { Name: PARAM('secret-arn', 'us-east-1'), Value: { Ref: Match.stringLikeRegexp('^Secret') } });
    const t = template(db, 'us-west-2');
    const lookup = Object.entries<any>(t.findResources('Custom::AWS')).find(([, r]) => JSON.stringify(r.Properties.Create).includes('listSecrets'))!;
    expect(JSON.parse(lookup[1].Properties.Create).parameters).toEqual({
      Filters: [{ Key: 'tag-key', Values: ['cdk-multi-region-failover/orders/master-secret'] }, { Key: 'primary-region', Values: ['us-east-1'] }],
    });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: PARAM('secret-arn'), Value: { 'Fn::GetAtt': [lookup[0], 'SecretList.0.ARN'] } });
  });

  test('a function in its own regional stack gets the concrete values', () => {
    const { db } = build();
    const own = db.regionalResources('us-west-2');
    const fn = new lambda.Function(own.stack, 'App', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), vpc: own.vpc,
    });
    db.connectFunction(fn, 'us-west-2');
    const t = template(db, 'us-west-2');
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DB_READER_ENDPOINT: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ReadEndpoint.Address'] }, DB_PORT: '5432' }) },
    });
    expect(Object.keys(t.toJSON().Parameters ?? {}).filter((p) => !p.startsWith('BootstrapVersion'))).toEqual([]);
  });

  test('Aurora MySQL: port 3306 in the rule, the env and the parameter', () => {
    const { app, db } = build({ engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }) });
    const { stack, fn } = consumer(app, db);
    db.connectFunction(fn, 'us-west-2');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 3306, ToPort: 3306 });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ DB_PORT: '3306' }) } });
    template(db, 'us-west-2').hasResourceProperties('AWS::SSM::Parameter', { Name: PARAM('port'), Value: '3306' });
  });

  test('a function of another region, or outside a VPC, is refused', () => {
    const { app, db } = build();
    const { fn } = consumer(app, db, 'us-east-1');
    expect(() => db.connectFunction(fn, 'us-west-2')).toThrow(
      '`region` must be the region of the function\'s stack Api-us-east-1 (us-east-1): each region\'s function connects to its own region\'s cluster, got: us-west-2');
    const plain = new lambda.Function(fn.stack, 'NoVpc', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    expect(() => db.connectFunction(plain, 'us-east-1')).toThrow(
      '`fn` must be in a VPC to reach the cluster (pass `vpc: db.vpcProvider.vpcForRegion(stack, region)`), got a function without a VPC: Api-us-east-1/NoVpc');
  });
});

describe('alarmTopicArns (item 3)', () => {
  test('every alarm of a region, including the composite trigger, also goes to your topic of that region', () => {
    const mine = `arn:aws:sns:us-west-2:${ACCOUNT}:ops`;
    const { db } = build({ alarmTopicArns: { 'us-west-2': mine }, autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM } });
    const t = template(db, 'us-west-2');
    const alarms = [...Object.values<any>(t.findResources('AWS::CloudWatch::Alarm')), ...Object.values<any>(t.findResources('AWS::CloudWatch::CompositeAlarm'))];
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual(expect.arrayContaining([mine, { Ref: expect.stringMatching(/^AlarmTopic/) }]));
    }
    expect(JSON.stringify(template(db, 'us-east-1').toJSON())).not.toContain(':ops');
  });

  test('keys must be regions of the construct, ARNs topics of that region', () => {
    const { app } = build({ alarmTopicArns: { 'eu-west-1': `arn:aws:sns:eu-west-1:${ACCOUNT}:ops`, 'us-west-2': `arn:aws:sns:us-east-1:${ACCOUNT}:ops` } });
    expect(synthErrors(app)).toEqual([
      '  [Orders] `alarmTopicArns` has a key eu-west-1, which is none of this construct\'s alarm regions (us-east-1, us-west-2)',
      `  [Orders] \`alarmTopicArns\`[us-west-2] must be a topic in us-west-2: a CloudWatch alarm notifies topics of its own region, got a topic in us-east-1: arn:aws:sns:us-east-1:${ACCOUNT}:ops`,
    ]);
  });
});

describe('account (item 4)', () => {
  restoreEnvAfterEach('CDK_DEFAULT_ACCOUNT');

  test('defaults to the Stage account; a contradicting account is an error; none at all is a clear error', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod', { env: { account: '222222222222' } });
    const db = new AuroraGlobalFailover(stage, 'Orders', { regions: ['us-east-1', 'us-west-2'], globalClusterIdentifier: 'orders' });
    expect(db.stacks.map((s) => s.account)).toEqual(['222222222222', '222222222222']);
    expect(() => new AuroraGlobalFailover(stage, 'Other', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], globalClusterIdentifier: 'other' })).toThrow(
      '`account` must be the account of the enclosing Stage Prod (222222222222) or be left out, got: 111111111111');
    delete process.env.CDK_DEFAULT_ACCOUNT;
    expect(() => new AuroraGlobalFailover(new App(), 'Orders', { regions: ['us-east-1', 'us-west-2'] })).toThrow(
      '`account` is required here: set it, or create the construct in a Stage with `env: { account }`, or run the CDK CLI with credentials so that it sets CDK_DEFAULT_ACCOUNT');
  });
});

describe('stable names (item 5)', () => {
  test('stack names follow <prefix>-db-<region>; the prefix is the global cluster identifier by default, or stackNamePrefix', () => {
    expect(build().db.stacks.map((s) => s.stackName)).toEqual(['orders-db-us-east-1', 'orders-db-us-west-2']);
    expect(build({ stackNamePrefix: 'shop' }).db.stacks.map((s) => s.stackName)).toEqual(['shop-db-us-east-1', 'shop-db-us-west-2']);
  });

  test('without globalClusterIdentifier the identifier comes from writerDnsRecord, so moving the construct does not rename it', () => {
    for (const scope of [(app: App) => app, (app: App) => new Stage(app, 'Prod')]) {
      const app = new App();
      const db = new AuroraGlobalFailover(scope(app), 'Renamed', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], writerDnsRecord: DNS });
      expect(db.globalClusterIdentifier).toBe('writer-db-example-com');
      expect(db.primaryStack.stackName).toBe('writer-db-example-com-db-us-east-1');
      expect(warnings(db).filter((w) => w.includes('derived from the construct path'))).toEqual([]);
    }
  });

  test('a long record name gives a valid identifier of at most 48 characters', () => {
    const app = new App();
    const recordName = 'the-writer-of-the-orders-database.eu.production.shop.example.com';
    const db = new AuroraGlobalFailover(app, 'Orders', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], writerDnsRecord: { ...DNS, recordName } });
    expect(db.globalClusterIdentifier.length).toBeLessThanOrEqual(48);
    expect(db.globalClusterIdentifier).toMatch(/^[a-z](?:-?[a-z0-9])*$/);
  });

  test('a path-derived identifier warns in the primary stack (so the cloud assembly, and cdk synth --strict, see it) and names the prop to set', () => {
    const app = new App();
    const db = new AuroraGlobalFailover(new Stage(app, 'Prod'), 'Orders', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'] });
    expect(db.globalClusterIdentifier).toMatch(/^prod-orders-[0-9a-f]{8}$/);
    const message = new RegExp(`^The global cluster is named ${db.globalClusterIdentifier}, derived from the construct path Prod/Orders: .* Set \`globalClusterIdentifier\` to pin the name\\. \\[ack: cdk-multi-region-failover:path-derived-name\\]$`);
    expect(warnings(db)).toContainEqual(expect.stringMatching(message));
    // Metadata on the construct itself, which sits above its stacks, would never reach the assembly.
    expect(Annotations.fromStack(db.primaryStack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data)))
      .toContainEqual(expect.stringMatching(message));
  });

  test('two constructs claiming the same stack names, or the same writer record, fail synthesis', () => {
    const app = new App();
    new AuroraGlobalFailover(app, 'A', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], globalClusterIdentifier: 'orders', writerDnsRecord: DNS });
    new AuroraGlobalFailover(app, 'B', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], globalClusterIdentifier: 'orders', writerDnsRecord: DNS });
    const errors = synthErrors(app);
    expect(errors).toContain('  [A] `writerDnsRecord.recordName` writer.db.example.com in hosted zone Z0123456789ABC is also claimed by B: one name can belong to one construct only (give each its own name)');
    expect(errors).toContain('  [A] stack name orders-db-us-east-1 (111111111111/us-east-1) of A/us-east-1 is also the name of B/us-east-1: CloudFormation would deploy both into one stack; set `stackNamePrefix` to tell them apart');
  });
});

describe('outputs (item 6)', () => {
  test('each regional stack outputs its reader endpoint, secret ARN and state machine ARN, and the writer endpoint where known; no exports', () => {
    const { db } = build({ writerDnsRecord: DNS });
    for (const region of ['us-east-1', 'us-west-2']) {
      const outputs = template(db, region).toJSON().Outputs;
      expect(Object.keys(outputs).sort()).toEqual(['ReaderEndpoint', 'SecretArn', 'StateMachineArn', 'WriterEndpoint']);
      expect(outputs.WriterEndpoint.Value).toBe('writer.db.example.com');
      expect(outputs.StateMachineArn.Value).toEqual({ Ref: expect.stringMatching(/^OrchestratorStateMachine/) });
      for (const o of Object.values<any>(outputs)) {
        expect(o.Export).toBeUndefined();
        expect(o.Description).toEqual(expect.any(String));
      }
    }
    template(db, 'us-east-1').hasOutput('ReaderEndpoint', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ReadEndpoint.Address'] } });
    template(db, 'us-west-2').hasOutput('SecretArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretReplicaArn'), 'SecretList.0.ARN'] } });
    // Without writerDnsRecord the writer endpoint is only known where it is read.
    expect(Object.keys(Template.fromStack(build().db.primaryStack).toJSON().Outputs).sort()).toEqual(['ReaderEndpoint', 'SecretArn', 'StateMachineArn']);
    const plain = build().db;
    expect(plain.globalWriterEndpoint).toBeDefined();
    Template.fromStack(plain.primaryStack).hasOutput('WriterEndpoint', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GlobalWriterEndpoint'), 'GlobalClusters.0.Endpoint'] } });
  });
});

describe('validation (item 7), collected in one synth', () => {
  test('unknown regions, a record name that is not a host name, a TTL above 2 days', () => {
    const { app } = build({
      regions: ['us-east-1', 'us-west-9'],
      writerDnsRecord: { hostedZoneId: 'Z0123456789ABC', recordName: 'my_api!.example.com', ttl: Duration.days(3) },
    });
    expect(synthErrors(app)).toEqual([
      '  [Orders] `regions` holds us-west-9, which is not an AWS region (aws-cdk-lib\'s region list has no such region; for a region newer than your aws-cdk-lib, upgrade it or add the name to the context key "cdk-multi-region-failover:extraRegions")',
      '  [Orders] `writerDnsRecord.recordName` must be a host name because clients connect to it as the database host: labels of 1 to 63 letters, digits and hyphens, no hyphen at either end (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html); invalid label "my_api!" in: my_api!.example.com',
      '  [Orders] `writerDnsRecord.ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 259200 s',
    ]);
  });

  test('a record name given as a token is refused at once: the identifier and the CNAME need it', () => {
    expect(() => build({ writerDnsRecord: { hostedZoneId: 'Z0123456789ABC', recordName: Lazy.string({ produce: () => 'w.example.com' }) } })).toThrow(
      /^`writerDnsRecord.recordName` must be a concrete fully qualified domain name \(the global cluster identifier and the record are derived from it\), got: \$\{Token/);
  });

  test('a TTL of 0 is valid (Route 53 accepts 0 to 172800 s)', () => {
    const { app, db } = build({ writerDnsRecord: { ...DNS, ttl: Duration.seconds(0) } });
    expect(synthErrors(app)).toEqual([]);
    template(db, 'us-east-1').hasResourceProperties('AWS::Route53::RecordSet', { TTL: '0' });
  });

  test('an RTO objective below the floor says no setting helps and what the promotion alone takes', () => {
    expect(() => build({ recoveryObjectives: { rto: Duration.minutes(2) } })).toThrow(
      '; no setting of this construct can meet it: pre-checks and API call + Aurora promotion + status poll interval at least 1 s + global writer endpoint DNS cache take 5 min 16 s whatever the settings; Aurora promotion alone takes 5 min');
  });

  test('an RTO objective above the floor suggests only the settings that lower it', () => {
    const message = (props: Partial<AuroraGlobalFailoverProps>) => {
      try {
        build(props);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    // Manual start: only the poll interval is a lever (no autoFailover to tune, the promotion is an assumption).
    const manual = message({ recoveryObjectives: { rto: Duration.seconds(320) } });
    expect(manual).toMatch(/; lower `pollInterval` \(no setting takes the budget below 5 min 16 s\)$/);
    expect(manual).not.toMatch(/evaluationPeriods|recoveryAssumptions/);
    const auto = message({ autoFailover: { primaryHealthAlarmArn: HEALTH_ALARM }, recoveryObjectives: { rto: Duration.minutes(10) } });
    expect(auto).toMatch(/; lower `autoFailover.evaluationPeriods`, `pollInterval` \(no setting takes the budget below 6 min 16 s\)$/);
  });
});

describe('hooks (item 8)', () => {
  test('forEachRegion visits every region in order', () => {
    const { db } = build({}, 3);
    const seen: string[] = [];
    const visitor: IAuroraRegionVisitor = { visitRegion: (r: AuroraGlobalRegionResources) => { seen.push(`${r.region}:${r.isPrimary}`); } };
    db.forEachRegion(visitor);
    expect(seen).toEqual(['us-east-1:true', 'us-west-2:false', 'eu-west-1:false']);
  });

  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
  test('metricReplicationLag / metricRpoLag: AWS/RDS, DBClusterIdentifier of the region\'s member, in that region', () => {
    const { db } = build();
    const lag = db.metricReplicationLag('us-west-2');
    expect(lag.namespace).toBe('AWS/RDS');
    expect(lag.metricName).toBe('AuroraGlobalDBReplicationLag');
    expect(lag.dimensions).toEqual({ DBClusterIdentifier: 'orders-us-west-2' });
    expect(lag.region).toBe('us-west-2');
    expect(lag.statistic).toBe('Maximum');
    const rpo = db.metricRpoLag('us-west-2', { period: Duration.minutes(5) });
    expect(rpo.metricName).toBe('AuroraGlobalDBRPOLag');
    expect(rpo.period.toSeconds()).toBe(300);
    expect(() => db.metricRpoLag('eu-west-3')).toThrow('`region` must be one of the regions of this global database (us-east-1, us-west-2), got: eu-west-3');
  });

  test('grantStartFailover: states:StartExecution on that region\'s state machine, by ARN (no cross-stack reference)', () => {
    const { app, db } = build();
    const ops = new Stack(app, 'Ops', { env: { account: ACCOUNT, region: 'us-west-2' } });
    const role = new iam.Role(ops, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    db.grantStartFailover(role, 'us-west-2');
    Template.fromStack(ops).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: `arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:orders-failover` }] },
    });
  });
});
