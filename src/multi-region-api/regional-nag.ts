import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type { RegionalFunction } from './handlers';
import { NagSuppressions } from '../core/nag';

/**
 * The cdk-nag suppressions of one region of a `MultiRegionApi`: each on one resource, for one rule, with the reason
 * that resource is safe. Routes are never suppressed: a public API (`ApiAuthorization.none()`) is reported by
 * AwsSolutions-APIG4/COG4 on each route, for its owner to accept or fix. CORS preflights need none: cdk-nag does
 * not apply APIG4/COG4 to `OPTIONS` methods that answer 204 with CORS headers.
 */
export function addRegionalNagSuppressions(o: {
  api: apigateway.RestApi;
  /** The routes' handler and the health function. */
  functions: RegionalFunction[];
  healthMethod: apigateway.Method;
  tracing: boolean;
  cloudWatchRole: boolean;
  /** Whether the functions are in a VPC (`handler.vpcProvider`). */
  vpc: boolean;
}): void {
  const health = 'GET /health is called by Route 53 health checkers, which cannot authenticate (they send no credentials and no custom headers); '
    + 'it reads one fixed key, returns only a status and the region, and has its own method throttling and its own function (GetItem only)';
  NagSuppressions.addResourceSuppressions(o.healthMethod, [
    { id: 'AwsSolutions-APIG4', reason: health },
    { id: 'AwsSolutions-COG4', reason: health },
  ]);
  const { region, account } = Stack.of(o.api);
  // Only the functions the construct made (with its role): your `handler.factory` function gets no suppression.
  for (const { fn, role, builtIn } of o.functions.filter((f) => f.role !== undefined)) {
    const policy = o.tracing || o.vpc ? role!.node.tryFindChild('DefaultPolicy') : undefined;
    if (policy && o.tracing) {
      NagSuppressions.addResourceSuppressions(policy, [{
        id: 'AwsSolutions-IAM5',
        reason: 'X-Ray PutTraceSegments and PutTelemetryRecords (added by `tracing: true`) support no resource-level permissions',
        appliesTo: ['Resource::*'],
      }]);
    }
    if (policy && o.vpc) {
      NagSuppressions.addResourceSuppressions(policy, [{
        id: 'AwsSolutions-IAM5',
        reason: 'Lambda attaches the function to its VPC with network interfaces it creates under this role: their ids are not known before, so they are '
          + `allowed on the network interfaces, subnets and security groups of ${region} and this account only; ec2:DescribeNetworkInterfaces works only `
          + 'on all resources (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html)',
        appliesTo: [
          'Resource::*',
          ...['network-interface', 'security-group', 'subnet'].map((type) => `Resource::arn:<AWS::Partition>:ec2:${region}:${account}:${type}/*`),
        ],
      }]);
    }
    if (builtIn) {
      NagSuppressions.addResourceSuppressions(fn, [{
        id: 'AwsSolutions-L1',
        reason: 'The built-in handler\'s runtime is pinned to Node.js 22 by the library\'s bundler, which targets node22 and takes AWS SDK v3 from the runtime',
      }]);
    }
  }
  if (o.cloudWatchRole) {
    const cwRole = o.api.node.tryFindChild('CloudWatchRole');
    if (cwRole) {
      NagSuppressions.addResourceSuppressions(cwRole, [{
        id: 'AwsSolutions-IAM4',
        reason: 'API Gateway\'s account-level logging role uses the AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy that AWS documents for it',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
      }]);
    }
  }
}
