import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { IRegionalVpcProvider } from './props';
import { MultiRegionFailoverError } from '../core/errors';

/** The root of the SSM parameters a regional stack publishes for clients in other stacks. */
export const PARAMETER_ROOT = '/cdk-multi-region-failover';

/** `/cdk-multi-region-failover/<globalClusterIdentifier>/<region>/<name>`. @internal */
export function parameterName(gid: string, region: string, name: string): string {
  return `${PARAMETER_ROOT}/${gid}/${region}/${name}`;
}

/** Writes one String parameter per entry in `stack` (deterministic names, read by other stacks at deploy time). @internal */
export function publishParameters(stack: Stack, gid: string, region: string, values: { [name: string]: string }): void {
  for (const [name, value] of Object.entries(values)) {
    const id = `ClientParameter${name.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`;
    new ssm.StringParameter(stack, id, {
      parameterName: parameterName(gid, region, name),
      stringValue: value,
      description: `Aurora global database ${gid} in ${region}: ${name} (cdk-multi-region-failover, for clients in other stacks)`,
    });
  }
}

/** The parameters describing a VPC the construct created (its isolated subnets, their AZs and route tables). @internal */
export function vpcParameters(vpc: ec2.IVpc): { [name: string]: string } {
  const values: { [name: string]: string } = { 'vpc-id': vpc.vpcId, 'vpc-cidr': vpc.vpcCidrBlock };
  vpc.isolatedSubnets.forEach((subnet, i) => {
    values[`isolated-subnet-${i}`] = subnet.subnetId;
    values[`isolated-subnet-az-${i}`] = subnet.availabilityZone;
    values[`isolated-route-table-${i}`] = subnet.routeTable.routeTableId;
  });
  return values;
}

/** What one region publishes. @internal */
export interface RegionPublication {
  readonly stack: Stack;
  readonly gid: string;
  readonly region: string;
  readonly isPrimary: boolean;
  /** The VPC, when the construct created it (a VPC of yours is yours to share). */
  readonly vpc?: ec2.IVpc;
  /** The `writerDnsRecord` name, if any. */
  readonly dnsName?: string;
  readonly port: number;
  readonly securityGroupId: string;
  readonly secretArn: string;
  readonly readerEndpoint: string;
  /** The failover state machine's ARN (none with a Region switch plan). */
  readonly stateMachineArn?: string;
}

/**
 * SSM parameters for clients in other stacks of the region (read at deploy time: no exports to get stuck on), and the
 * outputs a person needs after deploy (no `exportName`). Names: `/cdk-multi-region-failover/<globalClusterIdentifier>/<region>/<name>`.
 * Without `writerDnsRecord` the writer endpoint is published where it is read (see `connectFunction`).
 * @internal
 */
export function publishRegion(p: RegionPublication): void {
  const { stack, gid, region } = p;
  publishParameters(stack, gid, region, {
    ...(p.vpc ? vpcParameters(p.vpc) : {}),
    'security-group-id': p.securityGroupId,
    'secret-arn': p.secretArn,
    'reader-endpoint': p.readerEndpoint,
    'port': String(p.port),
    ...(p.dnsName ? { 'writer-endpoint': p.dnsName } : {}),
  });
  if (p.dnsName) {
    output(stack, 'WriterEndpoint', p.dnsName, `${p.dnsName}: CNAME to the global writer endpoint, always the writer of the current primary cluster`);
  }
  output(stack, 'ReaderEndpoint', p.readerEndpoint, `Reader endpoint of the ${region} cluster ${gid}-${region}`);
  output(stack, 'SecretArn', p.secretArn, `Master secret of ${gid} in ${region} (${p.isPrimary ? 'the primary secret' : 'its replica'})`);
  if (p.stateMachineArn) {
    output(stack, 'StateMachineArn', p.stateMachineArn, `Failover state machine of ${gid} in ${region}: start it with {"mode":"switchover"|"failover","targetRegion":"..."}`);
  }
}

/** Adds a CfnOutput (no export: outputs are for people and scripts, not for other stacks). @internal */
export function output(stack: Stack, id: string, value: string, description: string): void {
  if (!stack.node.tryFindChild(id)) {
    new CfnOutput(stack, id, { value, description });
  }
}

/** Where a region's resources live and how to reach them from another stack. @internal */
export interface RegionSource {
  readonly gid: string;
  readonly region: string;
  readonly account: string;
  /** The region's own stack. */
  readonly stack: Stack;
  /** The region's VPC. */
  readonly vpc: ec2.IVpc;
}

/**
 * The stack of `scope` must be in `region` (and the construct's account): a VPC, a security group and SSM parameters
 * exist in one region only. Another stack of the region reads the region's values from SSM at deploy time, so it must
 * deploy after the region's stack: the dependency is added here.
 * @returns whether `scope` is in another stack than the region's own
 * @internal
 */
export function checkConsumer(scope: IConstruct, source: RegionSource, what: string, reason: string): boolean {
  const stack = Stack.of(scope);
  if (stack === source.stack) {
    return false;
  }
  if (Token.isUnresolved(stack.region) || stack.region !== source.region) {
    throw new MultiRegionFailoverError(`\`region\` must be the region of the ${what} stack ${stack.node.path} (${stack.region}): ${reason}, got: ${source.region}`);
  }
  if (!Token.isUnresolved(stack.account) && stack.account !== source.account) {
    throw new MultiRegionFailoverError(`\`region\` ${source.region}: the ${what} stack ${stack.node.path} must be in account ${source.account} (SSM parameters are read in the stack's own account), got: ${stack.account}`);
  }
  stack.addDependency(source.stack, `reads the connection parameters of Aurora global database ${source.gid} in ${source.region} from SSM`);
  return true;
}

/** A deploy-time (weak) read of a parameter the region's stack publishes. @internal */
export function readParameter(scope: Construct, source: RegionSource, name: string): string {
  return ssm.StringParameter.valueForStringParameter(scope, parameterName(source.gid, source.region, name));
}

/**
 * The default `vpcProvider` of `AuroraGlobalFailover`: in the region's own stack the VPC itself; in another stack of the
 * same region and account an import built from the SSM parameters the region's stack writes (`Vpc.fromVpcAttributes`
 * over `valueForStringParameter`: no export, no strong cross-stack reference), with as many isolated subnets as the
 * VPC has (known at synthesis).
 * @internal
 */
export class ClientVpcProvider implements IRegionalVpcProvider {
  private readonly imports = new Map<string, ec2.IVpc>();

  constructor(private readonly sourceOf: (region: string) => RegionSource) {}

  public vpcForRegion(scope: Construct, region: string): ec2.IVpc {
    const source = this.sourceOf(region);
    if (!checkConsumer(scope, source, 'scope\'s', 'a VPC can only be used in its own region')) {
      return source.vpc;
    }
    const key = `${Stack.of(scope).node.path}|${region}`;
    let vpc = this.imports.get(key);
    if (!vpc) {
      const n = source.vpc.isolatedSubnets.length;
      const each = (name: string) => Array.from({ length: n }, (_, i) => readParameter(scope, source, `${name}-${i}`));
      vpc = ec2.Vpc.fromVpcAttributes(scope, `AuroraGlobalVpc-${source.gid}`, {
        vpcId: readParameter(scope, source, 'vpc-id'),
        vpcCidrBlock: readParameter(scope, source, 'vpc-cidr'),
        availabilityZones: each('isolated-subnet-az'),
        isolatedSubnetIds: each('isolated-subnet'),
        isolatedSubnetRouteTableIds: each('isolated-route-table'),
      });
      this.imports.set(key, vpc);
    }
    return vpc;
  }
}

/** What `connectFunction` gives a function. @internal */
export interface ClientConnection {
  readonly securityGroup: ec2.ISecurityGroup;
  readonly secretArn: string;
  readonly writerEndpoint: string;
  readonly readerEndpoint: string;
  readonly port: number;
}

/**
 * Connects `fn`: its security groups may reach the cluster's on the port (the ingress rule is created in `fn`'s stack
 * when the cluster's group is imported by id; an egress rule only on a group of `fn` that restricts outbound), it may read the region's secret (one ARN), and it gets the
 * `DB_SECRET_ARN`, `DB_WRITER_ENDPOINT`, `DB_READER_ENDPOINT` and `DB_PORT` environment variables.
 *
 * No `kms:Decrypt` grant: the master secret and its replicas are encrypted with the AWS managed key
 * `aws/secretsmanager`, and `GetSecretValue` needs `kms:Decrypt` "only if you use a customer-managed ... KMS key to
 * encrypt the secret. You do not need this permission to use the account's default AWS managed key for Secrets
 * Manager" (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
 * @internal
 */
export function connect(fn: lambda.Function, c: ClientConnection, description: string): void {
  const port = ec2.Port.tcp(c.port);
  // Ingress on the cluster's group from the function's groups. An egress rule only where a group of the function
  // restricts outbound traffic: on a group that allows all outbound (a Lambda's default) aws-cdk-lib ignores it with a
  // warning, which `cdk synth --strict` turns into a failure.
  c.securityGroup.connections.allowFrom(fn.connections, port, description);
  for (const group of fn.connections.securityGroups.filter((g) => !g.allowAllOutbound)) {
    group.addEgressRule(c.securityGroup, port, description, true);
  }
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [c.secretArn] }));
  fn.addEnvironment('DB_SECRET_ARN', c.secretArn);
  fn.addEnvironment('DB_WRITER_ENDPOINT', c.writerEndpoint);
  fn.addEnvironment('DB_READER_ENDPOINT', c.readerEndpoint);
  fn.addEnvironment('DB_PORT', String(c.port));
}

/**
 * A value of `source`'s region for use in `scope`'s stack: `own` (a token of the region's stack) in that stack; in another
 * stack of the region and account the SSM parameter `name` the region's stack writes, read at deploy time (no export),
 * and that stack then deploys after the region's stack.
 * @internal
 */
export function regionValueFor(scope: IConstruct, source: RegionSource, own: string, name: string, what: string, reason: string): string {
  return checkConsumer(scope, source, what, reason) ? readParameter(Stack.of(scope), source, name) : own;
}

/** What a read of the master secret needs: `GetSecretValue` for the value, `DescribeSecret` for its metadata (as `ISecret.grantRead`). */
const SECRET_READ_ACTIONS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];

/**
 * Lets `grantee` read the master secret's copy in `source`'s region, named by `ownArn` in the region's stack and by the
 * `secret-arn` SSM parameter in another stack of the region. The policy goes to the grantee's principal (a role), so
 * the principal's stack decides: it must be a stack of that region and account. A replica's ARN is "the same as the
 * primary secret except for the Region" (https://docs.aws.amazon.com/secretsmanager/latest/userguide/replicate-secrets.html)
 * but the primary's ARN ends in a random suffix known only to the primary stack, hence the parameter.
 *
 * No KMS grant: the secret and its replicas use the AWS managed key `aws/secretsmanager` (no `KmsKeyId`: "If you don't
 * include this field, Secrets Manager uses aws/secretsmanager",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-secretsmanager-secret-replicaregion.html),
 * and `GetSecretValue` needs `kms:Decrypt` only for a customer managed key
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
 * @internal
 */
export function grantSecretRead(grantee: iam.IGrantable, source: RegionSource, ownArn: string): iam.Grant {
  const principal = grantee.grantPrincipal;
  const scope = [principal as unknown, grantee as unknown].find((x): x is IConstruct => Construct.isConstruct(x));
  if (!scope) {
    throw new MultiRegionFailoverError(`\`grantee\` must be a principal defined in a stack of ${source.region} (a role, a user, or a resource with a role `
      + `such as a lambda.Function), got: ${principal}`);
  }
  const arn = regionValueFor(scope, source, ownArn, 'secret-arn', 'grantee\'s',
    'a secret replica is read in its own region, so grant each region\'s principals that region\'s copy');
  return iam.Grant.addToPrincipal({ grantee, actions: SECRET_READ_ACTIONS, resourceArns: [arn] });
}
