import { Fn, Stack } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { MultiRegionFailoverError } from '../core/errors';
import { suppressAwsCustomResourceProvider } from '../core/nag';
import { partitionOf } from '../core/partition';

/*
 * The ids of the health checks a plan's Route 53 health check block creates, for the records' stacks.
 *
 * AWS: "Region switch provides a health check ID, for each Region, for each record name within a hosted zone defined in
 * the execution block. Make sure that you configure the health checks for the corresponding record sets"; "For
 * active/passive: the primary Region's health check starts healthy; the passive Region starts unhealthy. When you use the
 * Route53 health check execution block to failover, these states flip"
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html).
 *
 * CloudFormation returns them in the plan's `PlanHealthChecks` attribute (a list of strings). AWS does not document the
 * entries' format; a deployed plan has been observed (in a public project, 2026-08) to return
 * `<hostedZoneId>:<recordName>:<region>:<healthCheckId>` per entry, in an undocumented order, and CloudFormation to reject
 * `Fn::GetAtt` of the nested `Route53HealthChecks` / `HealthChecksForPlan` attributes. So the id of one record and Region
 * is cut out of the joined list by its own prefix, whatever the order: split at `:<record>:<region>:`, take what
 * follows, up to the next entry. If the format differs, `Fn::Select` fails the deploy: a loud error, never a health check
 * bound to the wrong Region.
 *
 * The records live in other stacks, often in other Regions (`MultiRegionApi` has one stack per Region), so the ids travel
 * as SSM String parameters of each record's Region, read by the record's stack at deploy time: no CloudFormation export,
 * no strong cross-stack reference (aws-cdk #27902). A parameter in the plan stack's own Region is a plain
 * `AWS::SSM::Parameter`; one in another Region is written by an `AwsCustomResource` calling `ssm:PutParameter` there.
 */

const ROOT = '/cdk-multi-region-failover/region-switch';

/** `/cdk-multi-region-failover/region-switch/<planName>/<recordName>/<region>/health-check-id`. @internal */
export function healthCheckParameterName(planName: string, recordName: string, region: string): string {
  return `${ROOT}/${planName}/${recordName.replace(/\.$/, '')}/${region}/health-check-id`;
}

/** The id of the plan's health check for `recordName` in `region`, as a CloudFormation expression of the plan's stack. @internal */
export function planHealthCheckId(plan: arcregionswitch.CfnPlan, recordName: string, region: string): string {
  const all = Fn.join(',', plan.attrPlanHealthChecks);
  // Fn::Split's delimiter must be a literal string (no token), so it holds the record name and the Region, not the zone id.
  const after = Fn.select(1, Fn.split(`:${recordName.replace(/\.$/, '')}:${region}:`, all));
  return Fn.select(0, Fn.split(',', after));
}

/** Writes the id into an SSM String parameter of `targetRegion`. @internal */
export function publishHealthCheckId(scope: Construct, id: string, name: string, value: string, targetRegion: string, description: string): void {
  const stack = Stack.of(scope);
  if (targetRegion === stack.region) {
    new ssm.StringParameter(scope, id, { parameterName: name, stringValue: value, description });
    return;
  }
  const put: cr.AwsSdkCall = {
    service: 'SSM',
    action: 'putParameter',
    region: targetRegion,
    parameters: { Name: name, Value: value, Type: 'String', Overwrite: true, Description: description },
    physicalResourceId: cr.PhysicalResourceId.of(`${targetRegion}:${name}`),
  };
  new cr.AwsCustomResource(scope, id, {
    onCreate: put,
    onUpdate: put,
    onDelete: { service: 'SSM', action: 'deleteParameter', region: targetRegion, parameters: { Name: name }, ignoreErrorCodesMatching: 'ParameterNotFound' },
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
      actions: ['ssm:PutParameter', 'ssm:DeleteParameter'],
      resources: [`arn:${partitionOf(targetRegion)}:ssm:${targetRegion}:${stack.account}:parameter${name}`],
    })]),
  });
  suppressProvider(stack);
}

/** The `AwsCustomResource` provider is a stack singleton of aws-cdk-lib: one suppression each for its runtime and its role. */
function suppressProvider(stack: Stack): void {
  suppressAwsCustomResourceProvider(stack,
    'aws-cdk-lib\'s AwsCustomResource provider picks its own Node.js runtime; here it writes the Region switch plan\'s health check ids into SSM parameters of other Regions at deploy time and serves no traffic',
    'AWSLambdaBasicExecutionRole only lets aws-cdk-lib\'s AwsCustomResource provider write its own logs; its other permissions are ssm:PutParameter/DeleteParameter on the plan\'s health check id parameters');
}

/** What `readHealthCheckId` reads. @internal */
export interface HealthCheckIdSource {
  readonly planName: string;
  readonly recordName: string;
  readonly region: string;
  readonly stepName: string;
  readonly published: boolean;
}

/**
 * The id of the plan's health check for a record and Region, as a value of `scope`'s stack. In the plan's own stack: the
 * expression itself (a CloudFormation parameter would be resolved before the plan exists). Elsewhere: the SSM parameter the
 * plan publishes in that stack's Region, as an `AWS::SSM::Parameter::Value<String>` parameter that CloudFormation resolves
 * when the stack deploys ("the parameter's value is the value of the SSM parameter",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html#cloudformation-supplied-parameter-types-overview),
 * and `addDependency` on the plan's stack so the parameter exists first: no export, no cross-Region reference. @internal
 */
export function readHealthCheckId(scope: Construct, plan: Construct & { readonly plan: arcregionswitch.CfnPlan },
  source: HealthCheckIdSource): string {
  const stack = Stack.of(scope);
  const planStack = Stack.of(plan);
  if (stack === planStack) {
    return planHealthCheckId(plan.plan, source.recordName, source.region);
  }
  if (!source.published) {
    throw new MultiRegionFailoverError(`\`publishHealthCheckIds\` of the Route 53 step ${source.stepName} of plan ${source.planName} must be true when the records `
      + `are in another stack than the plan, got false (records of ${source.recordName} in ${stack.stackName})`);
  }
  stack.addDependency(planStack, `the Region switch plan ${source.planName} publishes its health check ids in SSM before ${stack.stackName} reads them`);
  return ssm.StringParameter.valueForStringParameter(scope, healthCheckParameterName(source.planName, source.recordName, source.region));
}
