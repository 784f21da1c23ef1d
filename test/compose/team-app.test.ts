import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildTeamApp, TEAM_ACCOUNT, TEAM_TOPIC, TEAM_ZONE } from './team-app';
import { ApiAuthorization, MultiRegionApi } from '../../src';

/** Every stack of the app, nested Stages included. */
function allStacks(app: App): Stack[] {
  return app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}

function resourcesOf(template: Template, type: string): Array<{ [key: string]: any }> {
  return Object.values(template.findResources(type));
}

describe.each([
  ['2 regions, under the App, explicit account', { regions: ['us-east-1', 'us-west-2'] }],
  ['3 regions, inside a Stage, no account prop', { regions: ['us-east-1', 'us-west-2', 'eu-west-1'], inStage: true }],
  ['2 regions, primary outside us-east-1, inside a Stage', { regions: ['eu-west-1', 'eu-central-1'], inStage: true }],
])('the team\'s design: %s', (_name, options) => {
  const team = buildTeamApp(options);
  const stacks = allStacks(team.app);
  const templates = new Map(stacks.map((s) => [s, Template.fromStack(s)]));
  const regions = options.regions;

  test('synthesizes with every stack in the team account, named <prefix>-<role>-<region>', () => {
    for (const stack of stacks) {
      expect(stack.account).toBe(TEAM_ACCOUNT);
      expect(stack.stackName).toMatch(/^[a-z][a-z0-9-]*-(api|api-alarms|db|site|site-origin|site-global)-[a-z]{2}(-[a-z]+)+-\d$/);
      expect(stack.stackName.endsWith(stack.region)).toBe(true);
    }
    expect(team.db.stacks.map((s) => s.stackName)).toEqual(regions.map((r) => `shop-db-${r}`));
    expect(team.api.stacks.map((s) => s.stackName)).toEqual(regions.map((r) => `api-shop-example-com-api-${r}`));
  });

  test('no stack imports another\'s export: per-region ownership and weak SSM references only', () => {
    for (const [stack, template] of templates) {
      const json = JSON.stringify(template.toJSON());
      expect({ stack: stack.stackName, imports: json.includes('Fn::ImportValue') }).toEqual({ stack: stack.stackName, imports: false });
    }
  });

  test('health checks: 30 s × 3 on /api/health of each region\'s execute-api host', () => {
    for (const regional of team.api.regionalApis) {
      Template.fromStack(regional.stack).hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: Match.objectLike({ RequestInterval: 30, FailureThreshold: 3, ResourcePath: '/api/health' }),
      });
    }
  });

  test('each region\'s handler runs in that region\'s database VPC and is connected to that region\'s cluster', () => {
    for (const regional of team.api.regionalApis) {
      const template = Template.fromStack(regional.stack);
      template.hasResourceProperties('AWS::Lambda::Function', {
        VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() }),
        Environment: {
          Variables: Match.objectLike({
            DB_SECRET_ARN: Match.anyValue(), DB_READER_ENDPOINT: Match.anyValue(), DB_WRITER_ENDPOINT: Match.anyValue(), DB_PORT: Match.anyValue(),
          }),
        },
      });
      // The rule that lets the handler in is created in the API's stack, on the database SG read from SSM.
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
      expect(regional.stack.dependencies.map((d) => d.stackName)).toContain(`shop-db-${regional.region}`);
    }
  });

  test('the database VPCs have the endpoints the handler needs: DynamoDB gateway, Secrets Manager interface', () => {
    for (const stack of team.db.stacks) {
      const endpoints = resourcesOf(templates.get(stack)!, 'AWS::EC2::VPCEndpoint').map((e) => JSON.stringify(e.Properties.ServiceName));
      expect(endpoints.some((s) => s.includes('dynamodb'))).toBe(true);
      expect(endpoints.some((s) => s.includes('secretsmanager'))).toBe(true);
    }
  });

  test('every alarm notifies the team topic of its own region; every region\'s HealthCheckStatus alarm is in us-east-1', () => {
    let healthAlarms = 0;
    for (const [stack, template] of templates) {
      for (const alarm of [...resourcesOf(template, 'AWS::CloudWatch::Alarm'), ...resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm')]) {
        expect({ stack: stack.stackName, actions: alarm.Properties.AlarmActions }).toEqual({
          stack: stack.stackName, actions: expect.arrayContaining([TEAM_TOPIC(stack.region)]),
        });
        if (alarm.Properties.MetricName === 'HealthCheckStatus') {
          expect(stack.region).toBe('us-east-1');
          healthAlarms++;
        }
      }
    }
    expect(healthAlarms).toBeGreaterThanOrEqual(regions.length);
  });

  test('the stacks output what the team needs after deploy', () => {
    const outputs = (stack: Stack) => JSON.stringify(templates.get(stack)!.toJSON().Outputs ?? {});
    for (const stack of team.api.stacks) {
      expect(outputs(stack)).toContain('https://api.shop.example.com');
    }
    for (const stack of team.db.stacks) {
      expect(outputs(stack)).toMatch(/ReaderEndpoint/);
      expect(outputs(stack)).toMatch(/SecretArn/);
      expect(outputs(stack)).toMatch(/StateMachineArn/);
    }
    expect(outputs(team.site.globalStack)).toContain('https://www.shop.example.com');
  });
});

test('the team\'s design passes cdk-nag AwsSolutions in every stack, with no suppression added by the team', () => {
  const team = buildTeamApp({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'], inStage: true });
  const stacks = allStacks(team.app);
  stacks.forEach((stack) => Aspects.of(stack).add(new AwsSolutionsChecks()));
  const errors = stacks.flatMap((stack) => Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))
    .map((e) => `${e.id}: ${String(e.entry.data)}`));
  expect(errors).toEqual([]);
});

describe('stable names: moving the design into a Stage or renaming its ids renames nothing', () => {
  const physicalNames = (options: Parameters<typeof buildTeamApp>[0]) => {
    const team = buildTeamApp(options);
    return {
      stacks: allStacks(team.app).map((s) => s.stackName).sort(),
      table: team.api.tableName,
      cluster: team.db.globalClusterIdentifier,
      siteTable: team.site.tableName,
      siteFunction: team.site.functionName,
      buckets: [team.site.primaryBucketName, team.site.drBucketName],
    };
  };
  test('App vs Stage vs renamed ids', () => {
    const base = physicalNames({});
    expect(physicalNames({ inStage: true })).toEqual(base);
    expect(physicalNames({ ids: { db: 'Database', api: 'OrdersApi', site: 'Storefront' } })).toEqual(base);
  });
});

describe('bad input: one synth shows every error, each under its construct path', () => {
  test('unknown region, a record name Route 53 clients cannot use, a TTL out of range, and a name claimed twice', () => {
    const app = new App();
    const common = { account: TEAM_ACCOUNT, ...TEAM_ZONE, authorization: ApiAuthorization.none() };
    new MultiRegionApi(app, 'One', { ...common, regions: ['us-east-1', 'us-west-9'], recordName: 'my_api!' });
    new MultiRegionApi(app, 'Two', { ...common, regions: ['us-east-1', 'us-west-2'], recordName: 'orders', ttl: Duration.days(3) });
    new MultiRegionApi(app, 'Three', { ...common, regions: ['us-east-1', 'eu-west-1'], recordName: 'orders', stackNamePrefix: 'three' });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[One] `regions` holds us-west-9, which is not an AWS region');
    expect(message).toContain('[One] `recordName` must be a host name');
    expect(message).toContain('[Two] `ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 259200 s');
    expect(message).toContain('[Two] `recordName` orders.shop.example.com in hosted zone Z0TEAM00000000000000 is also claimed by Three');
    expect(message).toContain('[Three] `recordName` orders.shop.example.com in hosted zone Z0TEAM00000000000000 is also claimed by Two');
  });
});
