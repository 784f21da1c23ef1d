/**
 * Issue 11: MultiRegionApi composes the way a CDK user expects — the health check path matches what the API serves,
 * the handler can join a VPC, HealthCheckStatus alarms of every region in us-east-1 (to existing topics), the account
 * from the Stage, stable names, outputs, collected validation, and customization hooks.
 */
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ACCOUNT, expectHealthCheckStatusAlarm } from './api-util';
import { IRegionalVpcProvider } from '../../src/aurora-global-failover/props';
import { ApiAuthorization, IRegionalApiVisitor, MultiRegionApi, MultiRegionApiProps, RegionalApi } from '../../src/multi-region-api';
import { nagErrors, nagWarnings } from '../util/nag';
import { restoreEnvAfterEach } from '../util/synth';

const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const TWO = ['us-east-1', 'us-west-2'];
const TOPIC_EAST = `arn:aws:sns:us-east-1:${ACCOUNT}:ops-east`;
const TOPIC_WEST = `arn:aws:sns:us-west-2:${ACCOUNT}:ops-west`;
const ACL = (region: string) => `arn:aws:wafv2:${region}:${ACCOUNT}:regional/webacl/api-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`;

function props(overrides: Partial<MultiRegionApiProps> = {}): MultiRegionApiProps {
  return {
    account: ACCOUNT,
    regions: TWO,
    hostedZoneId: ZONE_ID,
    zoneName: 'example.com',
    recordName: 'api',
    authorization: ApiAuthorization.none(),
    ...overrides,
  };
}

function build(overrides: Partial<MultiRegionApiProps> = {}, scope?: Construct, id = 'Api') {
  const app = new App();
  const api = new MultiRegionApi(scope ?? app, id, props(overrides));
  return { app: (scope?.node.root as App) ?? app, api };
}

/** The message `app.synth()` throws, or '' when it synthesizes. */
function synthError(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/** A VPC with isolated subnets only (no NAT), created in the scope it is given, like the database VPCs. */
class IsolatedVpcProvider implements IRegionalVpcProvider {
  public readonly calls: Array<{ stack: Stack; region: string }> = [];
  public readonly vpcs = new Map<string, ec2.Vpc>();
  constructor(private readonly groups: string[] = ['isolated']) {}
  public vpcForRegion(scope: Construct, region: string): ec2.IVpc {
    this.calls.push({ stack: Stack.of(scope), region });
    const vpc = new ec2.Vpc(scope, 'Vpc', {
      natGateways: 0,
      maxAzs: 2,
      subnetConfiguration: this.groups.map((name) => ({ name, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 })),
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    this.vpcs.set(region, vpc);
    return vpc;
  }
}

describe('item 1: the health check path is a route the API serves on the execute-api host', () => {
  test('`/api/health` on the execute-api host fails synthesis, naming the stage and the path the API serves', () => {
    const { app } = build({ healthCheck: { path: '/api/health' } });
    expect(synthError(app)).toContain(
      '`healthCheck.path` must be /prod/health: the health check calls each region\'s execute-api host ({api-id}.execute-api.{region}.amazonaws.com), '
      + 'which serves the API only under its stage prod, and the health route is GET /health; a check of any other path never passes and the region never fails over '
      + '(to check your own host and path, set `healthCheck.fqdn` too), got: /api/health');
  });

  test.each([
    ['the built-in route under the stage', {}, '/prod/health'],
    ['another stage', { stageName: 'v1' }, '/v1/health'],
    ['a query string', {}, '/prod/health?source=route53'],
  ])('accepted: %s', (_name, extra, path) => {
    const { app, api } = build({ ...extra, healthCheck: { path } });
    expect(synthError(app)).toBe('');
    Template.fromStack(api.stacks[1]).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ ResourcePath: path }) });
  });

  test('the old stage\'s path is refused after a stageName change', () => {
    const { app } = build({ stageName: 'v1', healthCheck: { path: '/prod/health' } });
    expect(synthError(app)).toContain('`healthCheck.path` must be /v1/health: ');
  });

  test('with your own `healthCheck.fqdn` the path is yours: not checked against the stage', () => {
    const { app, api } = build({ healthCheck: { fqdn: 'status.example.net', path: '/api/health' } });
    expect(synthError(app)).toBe('');
    Template.fromStack(api.primaryStack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ FullyQualifiedDomainName: 'status.example.net', ResourcePath: '/api/health' }),
    });
  });
});

describe('item 2: handler.vpcProvider puts every region\'s functions in that region\'s VPC', () => {
  test('the provider is asked once per region with a scope in that region\'s stack; both functions join the isolated subnets', () => {
    const vpcProvider = new IsolatedVpcProvider();
    const { api } = build({ handler: { vpcProvider } });
    expect(vpcProvider.calls.map((c) => [c.stack, c.region])).toEqual(api.stacks.map((s, i) => [s, TWO[i]]));
    api.stacks.forEach((stack, i) => {
      const t = Template.fromStack(stack);
      const vpc = vpcProvider.vpcs.get(TWO[i])!;
      const subnets = vpc.isolatedSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) }));
      const fns = Object.values(t.findResources('AWS::Lambda::Function')).filter((f: any) => f.Properties.VpcConfig);
      expect(fns).toHaveLength(2);
      for (const fn of fns as any[]) {
        expect(fn.Properties.VpcConfig.SubnetIds).toEqual(subnets);
        expect(fn.Properties.VpcConfig.SecurityGroupIds).toHaveLength(1);
      }
      // One security group per function, in the region's VPC.
      t.resourceCountIs('AWS::EC2::SecurityGroup', 2);
      expect(api.region(TWO[i]).handler.connections.securityGroups).toHaveLength(1);
    });
  });

  test('least privilege for the network interfaces: inline, this region and account only; DescribeNetworkInterfaces on * as Lambda requires', () => {
    const { api } = build({ handler: { vpcProvider: new IsolatedVpcProvider() } });
    const t = Template.fromStack(api.stacks[1]);
    expect(JSON.stringify(t.findResources('AWS::IAM::Role'))).not.toContain('AWSLambdaVPCAccessExecutionRole');
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const eni = (region: string, type: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:${region}:${ACCOUNT}:${type}/*`]] });
    const describe = statements.filter((s) => s.Action === 'ec2:DescribeNetworkInterfaces');
    expect(describe).toEqual([{ Action: 'ec2:DescribeNetworkInterfaces', Effect: 'Allow', Resource: '*' }, { Action: 'ec2:DescribeNetworkInterfaces', Effect: 'Allow', Resource: '*' }]);
    const manage = statements.filter((s) => Array.isArray(s.Action) && s.Action.includes('ec2:CreateNetworkInterface'));
    expect(manage).toHaveLength(2);
    for (const s of manage) {
      expect(s.Action).toEqual(['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses']);
      expect(s.Resource).toEqual([eni('us-west-2', 'network-interface'), eni('us-west-2', 'security-group'), eni('us-west-2', 'subnet')]);
    }
  });

  test('vpcSubnets selects the subnet group', () => {
    const vpcProvider = new IsolatedVpcProvider(['db', 'app']);
    const { api } = build({ handler: { vpcProvider, vpcSubnets: { subnetGroupName: 'app' } } });
    const stack = api.stacks[0];
    const app = vpcProvider.vpcs.get('us-east-1')!.selectSubnets({ subnetGroupName: 'app' }).subnets;
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.VpcConfig) as any;
    expect(fn.Properties.VpcConfig.SubnetIds).toEqual(app.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) })));
  });

  test('vpcSubnets without vpcProvider is an error', () => {
    expect(() => build({ handler: { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } })).toThrow(
      '`handler.vpcSubnets` needs `handler.vpcProvider` (the VPC of each region), got: vpcSubnets only');
  });

  test('cdk-nag stays clean in a VPC, with one narrow suppression per function for the ENI wildcards', () => {
    const { api } = build({ authorization: ApiAuthorization.cognito(['arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abcdefghi']), handler: { vpcProvider: new IsolatedVpcProvider() } });
    for (const stack of api.stacks) {
      expect(nagErrors(stack)).toEqual([]);
    }
  });
});

describe('item 3: HealthCheckStatus alarms of every region in us-east-1, to existing topics', () => {
  const PARAM = (region: string) => `/cdk-multi-region-failover/api-example-com/api/${region}/health-check-id`;

  test('an alarms stack in us-east-1 that depends on every regional stack, with one HealthCheckStatus alarm per region', () => {
    const { api } = build({ regions: ['eu-west-1', 'eu-central-1'] });
    const alarms = api.alarmsStack!;
    expect([alarms.stackName, alarms.region, alarms.account]).toEqual(['api-example-com-api-alarms-us-east-1', 'us-east-1', ACCOUNT]);
    expect(alarms.dependencies).toEqual(api.stacks);
    const t = Template.fromStack(alarms);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    for (const region of ['eu-west-1', 'eu-central-1']) {
      expectHealthCheckStatusAlarm(t, region);
    }
    // The regional stacks have no HealthCheckStatus alarm, and the old "us-east-1 only" warning is gone.
    for (const stack of api.stacks) {
      Template.fromStack(stack).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'HealthCheckStatus' }, 0);
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('HealthCheckStatus'))).toEqual([]);
    }
  });

  test('each region publishes its health check id to a parameter in us-east-1: plain in us-east-1, by SSM PutParameter from other regions', () => {
    const { api } = build();
    const east = Template.fromStack(api.stacks[0]);
    east.hasResourceProperties('AWS::SSM::Parameter', { Name: PARAM('us-east-1'), Type: 'String', Value: { Ref: Match.stringLikeRegexp('HealthCheck') } });
    const west = Template.fromStack(api.stacks[1]);
    west.resourceCountIs('AWS::SSM::Parameter', 0);
    const cr = Object.values(west.findResources('Custom::AWS'))[0] as any;
    // The SDK call is a JSON string joined with the health check's Ref: read it without the escaping.
    const create = JSON.stringify(cr.Properties.Create).replace(/\\"/g, '"');
    expect(create).toContain('"service":"SSM","action":"putParameter"');
    expect(create).toContain(`"Name":"${PARAM('us-west-2')}"`);
    expect(create).toContain('"region":"us-east-1"');
    expect(create).toContain('"Value":"",{"Ref":"DnsHealthCheck');
    expect(JSON.stringify(cr.Properties.Delete).replace(/\\"/g, '"')).toContain('"action":"deleteParameter","parameters":{"Name":"/cdk-multi-region-failover/api-example-com/api/us-west-2/health-check-id"}');
    const statements = Object.values(west.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('ssm:'));
    expect(statements).toEqual([{
      Action: ['ssm:DeleteParameter', 'ssm:PutParameter'],
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:us-east-1:${ACCOUNT}:parameter${PARAM('us-west-2')}`]] },
    }]);
  });

  test('alarmTopicArns: us-east-1\'s topic gets the HealthCheckStatus alarms, each region\'s topic that region\'s alarms', () => {
    const { api } = build({ alarmTopicArns: { 'us-east-1': TOPIC_EAST, 'us-west-2': TOPIC_WEST } });
    const alarms = Template.fromStack(api.alarmsStack!).findResources('AWS::CloudWatch::Alarm');
    expect(Object.values(alarms).map((a: any) => a.Properties.AlarmActions)).toEqual([[TOPIC_EAST], [TOPIC_EAST]]);
    const west = Template.fromStack(api.stacks[1]);
    west.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', AlarmActions: [TOPIC_WEST] });
  });

  test('alarmTopicArns are validated: keys are the API\'s regions or us-east-1, each a topic of its region', () => {
    const { app } = build({ alarmTopicArns: { 'eu-west-1': 'arn:aws:sns:eu-west-1:111111111111:x', 'us-west-2': TOPIC_EAST } });
    const message = synthError(app);
    expect(message).toContain('`alarmTopicArns` has a key eu-west-1, which is none of this construct\'s alarm regions (us-east-1, us-west-2)');
    expect(message).toContain(`\`alarmTopicArns\`[us-west-2] must be a topic in us-west-2: a CloudWatch alarm notifies topics of its own region, got a topic in us-east-1: ${TOPIC_EAST}`);
  });

  test('alarms: false turns every alarm, parameter and the alarms stack off', () => {
    const { api } = build({ alarms: false, alarmTopicArns: { 'us-east-1': TOPIC_EAST } });
    expect(api.alarmsStack).toBeUndefined();
    expect(api.node.findAll().filter((c) => Stack.isStack(c))).toHaveLength(2);
    for (const stack of api.stacks) {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      t.resourceCountIs('AWS::SSM::Parameter', 0);
      t.resourceCountIs('Custom::AWS', 0);
    }
  });

  test('no stack references another (strongly): no exports, no imports, in the regional stacks or the alarms stack', () => {
    const { api } = build({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'] });
    for (const stack of [...api.stacks, api.alarmsStack!]) {
      const json = JSON.stringify(Template.fromStack(stack).toJSON());
      expect(json).not.toContain('Fn::ImportValue');
      expect(json).not.toContain('"Export"');
    }
  });

  test('cdk-nag is clean in the alarms stack and in a regional stack that publishes across regions', () => {
    const { api } = build({ authorization: ApiAuthorization.cognito(['arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abcdefghi']) });
    expect(nagErrors(api.stacks[1])).toEqual([]);
    expect(nagErrors(api.alarmsStack!)).toEqual([]);
  });
});

describe('item 4: account from the Stage or CDK_DEFAULT_ACCOUNT', () => {
  restoreEnvAfterEach('CDK_DEFAULT_ACCOUNT');

  test('the enclosing Stage\'s account', () => {
    delete process.env.CDK_DEFAULT_ACCOUNT;
    const stage = new Stage(new App(), 'Prod', { env: { account: '222222222222' } });
    const api = new MultiRegionApi(stage, 'Api', props({ account: undefined }));
    expect(api.stacks.map((s) => s.account)).toEqual(['222222222222', '222222222222']);
  });

  test('CDK_DEFAULT_ACCOUNT when there is no Stage account', () => {
    process.env.CDK_DEFAULT_ACCOUNT = '333333333333';
    const { api } = build({ account: undefined });
    expect([...api.stacks, api.alarmsStack!].map((s) => s.account)).toEqual(['333333333333', '333333333333', '333333333333']);
  });

  test('an account that contradicts the Stage\'s is an error; no account at all is an error', () => {
    delete process.env.CDK_DEFAULT_ACCOUNT;
    const stage = new Stage(new App(), 'Prod', { env: { account: '222222222222' } });
    expect(() => new MultiRegionApi(stage, 'Api', props())).toThrow(
      '`account` must be the account of the enclosing Stage Prod (222222222222) or be left out, got: 111111111111');
    expect(() => build({ account: undefined })).toThrow(
      '`account` is required here: set it, or create the construct in a Stage with `env: { account }`, or run the CDK CLI with credentials so that it sets CDK_DEFAULT_ACCOUNT');
  });
});

describe('item 5: stable names', () => {
  test('stacks `<prefix>-api-<region>` and the table `<prefix>-table`, the prefix from the record name', () => {
    const { api } = build();
    expect(api.stacks.map((s) => s.stackName)).toEqual(['api-example-com-api-us-east-1', 'api-example-com-api-us-west-2']);
    expect(api.tableName).toBe('api-example-com-table');
  });

  test('moving the construct into a Stage or renaming its id changes no stack or table name', () => {
    const names = (api: MultiRegionApi) => [...api.stacks.map((s) => s.stackName), api.alarmsStack!.stackName, api.tableName];
    const plain = build().api;
    const staged = build({}, new Stage(new App(), 'Prod')).api;
    const renamed = build({}, undefined, 'OrdersApi').api;
    expect(names(staged)).toEqual(names(plain));
    expect(names(renamed)).toEqual(names(plain));
  });

  test('stackNamePrefix names the stacks and the default table', () => {
    const { api } = build({ stackNamePrefix: 'Orders' });
    expect([...api.stacks, api.alarmsStack!].map((s) => s.stackName)).toEqual(['Orders-api-us-east-1', 'Orders-api-us-west-2', 'Orders-api-alarms-us-east-1']);
    expect(api.tableName).toBe('Orders-table');
  });

  test('two constructs claiming the same record name and stack names in one app: synthesis fails on both claims', () => {
    const app = new App();
    new MultiRegionApi(app, 'A', props());
    new MultiRegionApi(app, 'B', props());
    const message = synthError(app);
    expect(message).toContain('`recordName` api.example.com in hosted zone Z0123456789ABCDEFGHIJ is also claimed by B: one name can belong to one construct only (give each its own name)');
    expect(message).toContain('stack name api-example-com-api-us-east-1 (111111111111/us-east-1) of A/us-east-1 is also the name of B/us-east-1');
  });
});

describe('item 6: outputs of each regional stack', () => {
  test('the custom-domain URL, the regional execute-api URL and the health check id, described, not exported', () => {
    const { api } = build();
    api.stacks.forEach((stack, i) => {
      const outputs = Template.fromStack(stack).toJSON().Outputs;
      const byDescription = (re: RegExp) => Object.values(outputs).find((o: any) => re.test(o.Description)) as any;
      expect(byDescription(/custom domain/).Value).toBe('https://api.example.com');
      expect(JSON.stringify(byDescription(/execute-api/).Value)).toContain(`.execute-api.${TWO[i]}.`);
      expect(byDescription(/health check/).Value).toEqual({ Ref: expect.stringMatching(/^DnsHealthCheck/) });
      expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['Url', 'RegionalUrl', 'HealthCheckId']));
      for (const o of Object.values(outputs) as any[]) {
        expect(o.Export).toBeUndefined();
      }
      for (const id of ['Url', 'RegionalUrl', 'HealthCheckId']) {
        expect(outputs[id].Description.length).toBeGreaterThan(40);
      }
    });
  });
});

describe('item 7: validation collected so one synth shows every error', () => {
  test('an unknown region, a record name Route 53/ACM reject and a TTL out of range: all three in one synth', () => {
    const { app } = build({ regions: ['us-east-1', 'us-west-9'], recordName: 'my_api!', ttl: Duration.seconds(172801) });
    const message = synthError(app);
    expect(message).toContain('[Api] `regions` holds us-west-9, which is not an AWS region');
    expect(message).toContain('[Api] `recordName` must be a host name because it gets an ACM certificate and an API Gateway custom domain');
    expect(message).toContain('invalid label "my_api!" in: my_api!.example.com');
    expect(message).toContain('[Api] `ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 172801 s');
  });

  test('"@" for the apex is refused', () => {
    const { app } = build({ recordName: '@' });
    expect(synthError(app)).toContain('`recordName` must not use "@" for the zone apex');
  });

  test('a failover TTL above 300 s warns', () => {
    const { api } = build({ ttl: Duration.seconds(600) });
    // On the first regional stack (the construct itself is in no stack's metadata): test/core/warnings.test.ts.
    const found = Annotations.fromStack(api.stacks[0]).findWarning('*', Match.stringLikeRegexp('`ttl` is 600 s on a health-checked failover record'));
    expect(found).toHaveLength(1);
  });
});

describe('item 8: customization hooks', () => {
  test('concrete types: handler.addEnvironment and api.deploymentStage work without casts', () => {
    const { api } = build();
    const west = api.region('us-west-2');
    west.handler.addEnvironment('FEATURE', 'on');
    west.healthHandler.addEnvironment('FEATURE', 'on');
    expect(west.api.deploymentStage).toBeInstanceOf(apigateway.Stage);
    expect(west.stageName).toBe('prod');
    Template.fromStack(west.stack).resourcePropertiesCountIs('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ FEATURE: 'on' }) } }, 2);
  });

  test('forEachRegion visits every region in order, so one change reaches all of them', () => {
    const { api } = build({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'] });
    const seen: string[] = [];
    const visitor: IRegionalApiVisitor = {
      visitRegion(regional: RegionalApi) {
        seen.push(regional.region);
        regional.handler.addEnvironment('LOG_LEVEL', 'debug');
      },
    };
    api.forEachRegion(visitor);
    expect(seen).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    for (const stack of api.stacks) {
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ LOG_LEVEL: 'debug' }) } });
    }
  });

  test('metric methods: HealthCheckStatus in us-east-1; 5XXError and Latency of the region\'s API and stage', () => {
    const { api } = build();
    const status = api.metricHealthCheckStatus('us-west-2');
    expect([status.namespace, status.metricName, status.region, status.statistic]).toEqual(['AWS/Route53', 'HealthCheckStatus', 'us-east-1', 'Minimum']);
    expect(Object.keys(status.dimensions!)).toEqual(['HealthCheckId']);
    const errors = api.metricServerErrors('us-west-2');
    expect([errors.namespace, errors.metricName, errors.statistic]).toEqual(['AWS/ApiGateway', '5XXError', 'Sum']);
    expect(errors.dimensions).toEqual({ ApiName: 'api-example-com-api-us-west-2', Stage: 'prod' });
    const latency = api.metricLatency('us-west-2');
    expect([latency.metricName, latency.dimensions]).toEqual(['Latency', { ApiName: 'api-example-com-api-us-west-2', Stage: 'prod' }]);
    expect(() => api.metricLatency('eu-west-1')).toThrow('`region` must be one of us-east-1, us-west-2, got: eu-west-1');
  });

  test('webAclArns: a WAF web ACL association on each region\'s stage, and cdk-nag APIG3 is satisfied there', () => {
    const cognito = ApiAuthorization.cognito(['arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abcdefghi']);
    const without = build({ authorization: cognito }).api;
    expect(nagErrors(without.stacks[1])).toEqual([]);
    expect(nagWarnings(without.stacks[1]).filter((w) => w.includes('AwsSolutions-APIG3'))).toHaveLength(1);
    const { api } = build({ authorization: cognito, webAclArns: { 'us-east-1': ACL('us-east-1'), 'us-west-2': ACL('us-west-2') } });
    expect(nagErrors(api.stacks[1])).toEqual([]);
    api.stacks.forEach((stack, i) => {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        WebACLArn: ACL(TWO[i]),
        ResourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:apigateway:${TWO[i]}::/restapis/`, { Ref: Match.stringLikeRegexp('^Api') }, '/stages/', { Ref: Match.stringLikeRegexp('DeploymentStage') }]] },
      });
    });
    expect(nagWarnings(api.stacks[1]).filter((w) => w.includes('AwsSolutions-APIG3'))).toEqual([]);
  });

  test.each([
    ['a missing region', { 'us-east-1': ACL('us-east-1') }, '`webAclArns` needs a web ACL for every region (a failover must not move traffic to an unprotected region), got none for: us-west-2'],
    ['a web ACL of another region', { 'us-east-1': ACL('us-east-1'), 'us-west-2': ACL('us-east-1') },
      `\`webAclArns\`[us-west-2] must be a regional AWS WAF web ACL of us-west-2 and account ${ACCOUNT} (arn:<partition>:wafv2:us-west-2:${ACCOUNT}:regional/webacl/<name>/<id>), got: ${ACL('us-east-1')}`],
    ['a CloudFront (global) web ACL', { 'us-east-1': `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/x/1`, 'us-west-2': ACL('us-west-2') },
      `\`webAclArns\`[us-east-1] must be a regional AWS WAF web ACL of us-east-1 and account ${ACCOUNT} (arn:<partition>:wafv2:us-east-1:${ACCOUNT}:regional/webacl/<name>/<id>), got: arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/x/1`],
  ])('webAclArns validation: %s', (_name, webAclArns, message) => {
    const { app } = build({ webAclArns });
    expect(synthError(app)).toContain(message);
  });
});
