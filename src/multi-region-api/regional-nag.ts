import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from '../core/nag';

/**
 * The cdk-nag suppressions of one region of a `MultiRegionApi`: each on one resource, for one rule, with the reason
 * that resource is safe. Routes are never suppressed: a public API (`ApiAuthorization.none()`) is reported by
 * AwsSolutions-APIG4/COG4 on each route, for its owner to accept or fix. CORS preflights need none: cdk-nag does
 * not apply APIG4/COG4 to `OPTIONS` methods that answer 204 with CORS headers.
 */
export function addRegionalNagSuppressions(o: {
  api: apigateway.RestApi;
  role: iam.Role;
  fn: lambda.Function;
  healthMethod: apigateway.Method;
  builtIn: boolean;
  tracing: boolean;
  cloudWatchRole: boolean;
}): void {
  const health = 'GET /health is called by Route 53 health checkers, which cannot authenticate (they send no credentials and no custom headers); '
    + 'it reads one fixed key, returns only a status and the region, and has its own method throttling';
  NagSuppressions.addResourceSuppressions(o.healthMethod, [
    { id: 'AwsSolutions-APIG4', reason: health },
    { id: 'AwsSolutions-COG4', reason: health },
  ]);
  if (o.tracing) {
    const policy = o.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      NagSuppressions.addResourceSuppressions(policy, [{
        id: 'AwsSolutions-IAM5',
        reason: 'X-Ray PutTraceSegments and PutTelemetryRecords (added by `tracing: true`) support no resource-level permissions',
        appliesTo: ['Resource::*'],
      }]);
    }
  }
  if (o.builtIn) {
    NagSuppressions.addResourceSuppressions(o.fn, [{
      id: 'AwsSolutions-L1',
      reason: 'The built-in handler\'s runtime is pinned to Node.js 22 by the library\'s bundler, which targets node22 and takes AWS SDK v3 from the runtime',
    }]);
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
