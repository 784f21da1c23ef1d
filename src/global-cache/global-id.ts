import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { suppressAwsCustomResourceProvider } from '../core/nag';
import { partitionOf } from '../core/partition';

/** The root of every SSM parameter `GlobalCache` writes. */
const ROOT = '/cdk-multi-region-failover/cache';

/** `/cdk-multi-region-failover/cache/<cacheName>/<region>/<name>`. @internal */
export function cacheParameterName(cacheName: string, region: string, name: string): string {
  return `${ROOT}/${cacheName}/${region}/${name}`;
}

/**
 * Writes the global datastore's id into an SSM parameter of each secondary region, from the primary stack.
 *
 * The id is not the `GlobalReplicationGroupIdSuffix` we choose: "Amazon ElastiCache automatically applies a prefix to the
 * Global datastore ID when it is created. Each Amazon Region has its own prefix"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateGlobalReplicationGroup.html). CloudFormation
 * returns it as `Fn::GetAtt GlobalReplicationGroupId`, "The ID used to associate a secondary cluster to the Global
 * Replication Group" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-globalreplicationgroup.html).
 * A secondary stack must not import it (a cross-region export would pin the primary stack), and hard-coding AWS's table
 * of region prefixes would break on the next region. So an `AwsCustomResource` of the primary stack calls
 * `ssm:PutParameter` in each secondary region (and `DeleteParameter` when the stack is deleted); the secondary stack,
 * which deploys after the primary stack, reads its local parameter at deploy time (an `AWS::SSM::Parameter::Value`
 * parameter: no Lambda in the secondary, no call to the primary region).
 * @internal
 */
export function publishGlobalId(scope: Construct, cacheName: string, account: string, secondaryRegions: string[], globalId: string): void {
  const stack = Stack.of(scope);
  for (const region of secondaryRegions) {
    const name = cacheParameterName(cacheName, region, 'global-replication-group-id');
    const physicalResourceId = cr.PhysicalResourceId.of(`${region}:${name}`);
    const put: cr.AwsSdkCall = {
      service: 'SSM',
      action: 'putParameter',
      region,
      parameters: {
        Name: name,
        Value: globalId,
        Type: 'String',
        Overwrite: true,
        Description: `Id of the ElastiCache global datastore ${cacheName} (written by its primary stack ${stack.stackName})`,
      },
      physicalResourceId,
    };
    // The GetAtt of `globalId` orders the write after the global datastore exists.
    new cr.AwsCustomResource(scope, `GlobalIdIn-${region}`, {
      onCreate: put,
      onUpdate: put,
      onDelete: { service: 'SSM', action: 'deleteParameter', region, parameters: { Name: name }, ignoreErrorCodesMatching: 'ParameterNotFound' },
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['ssm:PutParameter', 'ssm:DeleteParameter'],
        resources: [`arn:${partitionOf(region)}:ssm:${region}:${account}:parameter${name}`],
      })]),
    });
  }
  suppressProvider(stack);
}

/** The global datastore id in a secondary stack: its local SSM parameter, resolved at deploy time. @internal */
export function readGlobalId(stack: Stack, cacheName: string): string {
  return ssm.StringParameter.valueForStringParameter(stack, cacheParameterName(cacheName, stack.region, 'global-replication-group-id'));
}

/** Writes one String parameter per entry, for clients in other stacks of the region. @internal */
export function publishParameters(stack: Stack, cacheName: string, values: { [name: string]: string }): void {
  for (const [name, value] of Object.entries(values)) {
    const id = `CacheParameter${name.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`;
    new ssm.StringParameter(stack, id, {
      parameterName: cacheParameterName(cacheName, stack.region, name),
      stringValue: value,
      description: `ElastiCache global datastore ${cacheName} in ${stack.region}: ${name} (cdk-multi-region-failover, for clients in other stacks)`,
    });
  }
}

/**
 * The `AwsCustomResource` provider is a stack-level singleton function owned by aws-cdk-lib: one suppression each for its
 * runtime (L1) and its basic execution role (IAM4).
 */
function suppressProvider(stack: Stack): void {
  suppressAwsCustomResourceProvider(stack,
    'aws-cdk-lib\'s AwsCustomResource provider picks its own Node.js runtime; here it writes the global datastore id into an SSM parameter of each secondary region when the stack deploys, and serves no traffic',
    'AWSLambdaBasicExecutionRole only lets aws-cdk-lib\'s AwsCustomResource provider write its own logs; its other permissions are ssm:PutParameter/DeleteParameter on the global datastore id parameters of the secondary regions');
}
