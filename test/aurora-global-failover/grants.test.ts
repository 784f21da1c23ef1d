import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ACCOUNT } from './helpers';
import { ApiAuthorization, MultiRegionApi } from '../../src';
import { AuroraGlobalFailover } from '../../src/aurora-global-failover';
import { nagErrors } from '../util/nag';

/**
 * Issue 18 item 8: `db.secret.grantRead(api.region('us-west-2').handler)` fails, because `db.secret` is the primary
 * secret in us-east-1 and a secret is a regional resource: the us-west-2 handler reads the secret's replica in us-west-2,
 * whose ARN is "the same as the primary secret except for the Region"
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/replicate-secrets.html). `grantSecretRead(grantee, region)`
 * grants read on that region's copy, named through the SSM parameter the region's database stack writes (read at deploy
 * time: no export, no cross-region reference).
 */
const PARAM = (region: string, name: string) => `/cdk-multi-region-failover/orders/${region}/${name}`;

function setup() {
  const app = new App();
  const db = new AuroraGlobalFailover(app, 'Orders', { account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], globalClusterIdentifier: 'orders' });
  const api = new MultiRegionApi(app, 'Api', {
    account: ACCOUNT,
    regions: ['us-east-1', 'us-west-2'],
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
    recordName: 'api',
    authorization: ApiAuthorization.none(),
  });
  return { app, db, api };
}

/** The logical id of the CloudFormation parameter of `t` that reads SSM parameter `name` at deploy time. */
function ssmParameter(t: Template, name: string): string {
  const entry = Object.entries<any>(t.toJSON().Parameters ?? {}).find(([, p]) => p.Default === name);
  if (!entry) {
    throw new Error(`no parameter reads ${name}`);
  }
  expect(entry[1].Type).toBe('AWS::SSM::Parameter::Value<String>');
  return entry[0];
}

/** Every statement of every IAM policy in `t`. */
function statements(t: Template): any[] {
  return Object.values<any>(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** The statements of `t` that allow a Secrets Manager or KMS action. */
function secretStatements(t: Template): any[] {
  return statements(t).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:') || a.startsWith('kms:')));
}

function inlineFunction(stack: Stack, id = 'Reader'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
}

describe('grantSecretRead: read access to one region\'s copy of the master secret (item 8)', () => {
  test('db.secret.grantRead on a handler of the us-west-2 API stack fails: the primary secret is in another environment', () => {
    const { app, db, api } = setup();
    db.secret.grantRead(api.region('us-west-2').handler);
    expect(() => app.synth()).toThrow('Cannot use resource \'Orders/us-east-1/Secret\' in a cross-environment fashion');
  });

  test('the handler of the us-west-2 API stack may read the us-west-2 replica, named through SSM: no export, no other region', () => {
    const { db, api } = setup();
    const handler = api.region('us-west-2').handler;
    const grant = db.grantSecretRead(handler, 'us-west-2');
    expect(grant.success).toBe(true);

    const stack = api.region('us-west-2').stack;
    expect(stack.dependencies).toContain(db.regionalResources('us-west-2').stack);
    const t = Template.fromStack(stack);
    const secretArn = ssmParameter(t, PARAM('us-west-2', 'secret-arn'));
    expect(secretStatements(t)).toEqual([{
      Effect: 'Allow',
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      Resource: { Ref: secretArn },
    }]);
    const json = JSON.stringify(t.toJSON());
    expect(json).not.toContain('Fn::ImportValue');
    expect(json).not.toContain(PARAM('us-east-1', 'secret-arn'));
  });

  test('a plain Function in a plain us-west-2 Stack, and an IAM role there', () => {
    const { app, db } = setup();
    const stack = new Stack(app, 'Reports', { env: { account: ACCOUNT, region: 'us-west-2' } });
    const fn = inlineFunction(stack);
    const role = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    db.grantSecretRead(fn, 'us-west-2');
    db.grantSecretRead(role, 'us-west-2');
    // One resource, no wildcard: nothing for cdk-nag's IAM5 (run before Template.fromStack synthesizes the app).
    expect(nagErrors(stack).filter((e) => e.includes('AwsSolutions-IAM5'))).toEqual([]);
    const t = Template.fromStack(stack);
    const secretArn = ssmParameter(t, PARAM('us-west-2', 'secret-arn'));
    const read = { Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: { Ref: secretArn } };
    expect(secretStatements(t)).toEqual([read, read]);
    expect(JSON.stringify(t.toJSON())).not.toContain('Fn::ImportValue');
  });

  test('in the primary region another stack reads the primary secret\'s ARN from SSM too', () => {
    const { db, api } = setup();
    db.grantSecretRead(api.region('us-east-1').handler, 'us-east-1');
    const t = Template.fromStack(api.region('us-east-1').stack);
    expect(secretStatements(t)).toEqual([{
      Effect: 'Allow',
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      Resource: { Ref: ssmParameter(t, PARAM('us-east-1', 'secret-arn')) },
    }]);
  });

  test('in the region\'s own database stack the grant names the replica ARN the stack looks up', () => {
    const { db } = setup();
    const own = db.regionalResources('us-west-2');
    const fn = inlineFunction(own.stack);
    db.grantSecretRead(fn, 'us-west-2');
    const t = Template.fromStack(own.stack);
    expect(secretStatements(t)).toContainEqual({
      Effect: 'Allow',
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      Resource: own.stack.resolve(own.secretArn),
    });
  });

  test('a grantee in another region is refused: each region\'s principals read their own region\'s copy', () => {
    const { db, api } = setup();
    expect(() => db.grantSecretRead(api.region('us-east-1').handler, 'us-west-2')).toThrow(
      '`region` must be the region of the grantee\'s stack Api/us-east-1 (us-east-1): a secret replica is read in its own region, '
      + 'so grant each region\'s principals that region\'s copy, got: us-west-2');
  });

  test('a region the database does not have is refused', () => {
    const { db, api } = setup();
    expect(() => db.grantSecretRead(api.region('us-west-2').handler, 'eu-west-1'))
      .toThrow('`region` must be one of the regions of this global database (us-east-1, us-west-2), got: eu-west-1');
  });

  test('a principal that is not part of a stack (no policy to add to) is refused', () => {
    const { db } = setup();
    expect(() => db.grantSecretRead(new iam.AccountRootPrincipal(), 'us-west-2')).toThrow(
      '`grantee` must be a principal defined in a stack of us-west-2 (a role, a user, or a resource with a role such as a lambda.Function), got: ');
  });
});

describe('secretArnFor and readerEndpointFor: a region\'s values, usable in another stack of that region (item 8)', () => {
  test('in another stack of the region: SSM parameters read at deploy time; in the region\'s stack: the values themselves', () => {
    const { app, db } = setup();
    const stack = new Stack(app, 'Reports', { env: { account: ACCOUNT, region: 'us-west-2' } });
    const own = db.regionalResources('us-west-2');
    const secretArn = db.secretArnFor(stack, 'us-west-2');
    const readerEndpoint = db.readerEndpointFor(stack, 'us-west-2');
    const t = Template.fromStack(stack);
    expect(stack.resolve(secretArn)).toEqual({ Ref: ssmParameter(t, PARAM('us-west-2', 'secret-arn')) });
    expect(stack.resolve(readerEndpoint)).toEqual({ Ref: ssmParameter(t, PARAM('us-west-2', 'reader-endpoint')) });
    expect(db.secretArnFor(own.stack, 'us-west-2')).toBe(own.secretArn);
    expect(db.readerEndpointFor(own.stack, 'us-west-2')).toBe(own.readerEndpoint);
  });

  test('a stack of another region is refused', () => {
    const { app, db } = setup();
    const stack = new Stack(app, 'Elsewhere', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    expect(() => db.readerEndpointFor(stack, 'us-west-2')).toThrow(
      '`region` must be the region of the scope\'s stack Elsewhere (eu-west-1): the region\'s SSM parameters exist in that region only, got: us-west-2');
  });
});

describe('connectFunction leaves no warning for cdk synth --strict (issue 18 item 5)', () => {
  function connected(allowAllOutbound: boolean) {
    const { app, db } = setup();
    const stack = new Stack(app, 'Reports', { env: { account: ACCOUNT, region: 'us-west-2' } });
    const fn = new lambda.Function(stack, 'Reader', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      vpc: db.vpcProvider.vpcForRegion(stack, 'us-west-2'),
      allowAllOutbound,
    });
    db.connectFunction(fn, 'us-west-2');
    return { stack, t: Template.fromStack(stack) };
  }
  const warnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));

  test('a function whose group allows all outbound (Lambda\'s default): only the ingress rule on the cluster\'s group, no warning', () => {
    const { stack, t } = connected(true);
    expect(warnings(stack)).toEqual([]);
    t.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Description: 'to Aurora global database orders in us-west-2',
    });
  });

  test('a function whose group restricts outbound also gets the egress rule to the cluster\'s group', () => {
    const { stack, t } = connected(false);
    expect(warnings(stack)).toEqual([]);
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Description: 'to Aurora global database orders in us-west-2',
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
  });
});
