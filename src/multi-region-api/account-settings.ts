import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Per app (root construct): the stack that sets API Gateway's account CloudWatch role, by "<account>/<region>". */
const owners = new WeakMap<IConstruct, Map<string, Stack>>();

/**
 * Whether `stack` creates API Gateway's account-level CloudWatch role setting (`AWS::ApiGateway::Account` and its
 * role) of its account and region: only the first stack of the app that asks for it does.
 *
 * It is one setting per account and region: "To avoid overwriting other roles, you should only have one
 * AWS::ApiGateway::Account resource per region per account"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html). A REST API
 * stage with access or execution logging needs it set in its region, or its deploy fails
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html), so a later stack of the same
 * Stage depends on the stack that sets it. Stacks of other Stages cannot depend on it (CDK has no dependencies across
 * Stages): the README says to deploy the Stage that sets it first. aws-cdk-lib retains the role and the setting when
 * their stack is deleted, so the other APIs keep logging.
 *
 * @param stack a regional stack of a `MultiRegionApi`
 * @param wanted `cloudWatchRole` (false: the account already has the setting, create none)
 */
export function claimCloudWatchRole(stack: Stack, wanted: boolean): boolean {
  if (!wanted) {
    return false;
  }
  const root = stack.node.root;
  let byEnvironment = owners.get(root);
  if (!byEnvironment) {
    byEnvironment = new Map();
    owners.set(root, byEnvironment);
  }
  const key = `${stack.account}/${stack.region}`;
  const owner = byEnvironment.get(key);
  if (!owner) {
    byEnvironment.set(key, stack);
    return true;
  }
  if (owner !== stack && Stage.of(owner) === Stage.of(stack)) {
    stack.addDependency(owner, `${owner.stackName} sets API Gateway's account CloudWatch role of ${stack.region}, which API stages with logging need`);
  }
  return false;
}
