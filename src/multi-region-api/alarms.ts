import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from '../core/nag';

/**
 * Route 53 publishes its health check metrics in US East (N. Virginia) only, so every `HealthCheckStatus` alarm lives
 * there, whatever the regions of the API.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
 */
export const ALARM_REGION = 'us-east-1';

/** The SSM parameter (in us-east-1) that holds the id of `region`'s health check: deterministic, so no token crosses stacks. */
export function healthCheckIdParameterName(prefix: string, region: string): string {
  return `/cdk-multi-region-failover/${prefix}/api/${region}/health-check-id`;
}

/**
 * Publishes the id of the region's health check to its SSM parameter in us-east-1, from the region's own stack: a
 * plain `AWS::SSM::Parameter` when that stack is in us-east-1, else an SSM `PutParameter` call to us-east-1 (and
 * `DeleteParameter` when the stack is deleted), allowed on that one parameter only. The alarms stack reads the
 * parameter when it deploys: a weak, deploy-time reference instead of a cross-region export.
 */
export function publishHealthCheckId(stack: Stack, prefix: string, healthCheckId: string): void {
  const name = healthCheckIdParameterName(prefix, stack.region);
  const description = `Id of the Route 53 health check of ${stack.stackName}, read by the HealthCheckStatus alarms in ${ALARM_REGION}`;
  if (stack.region === ALARM_REGION) {
    new ssm.StringParameter(stack, 'HealthCheckIdParameter', { parameterName: name, stringValue: healthCheckId, description });
    return;
  }
  const call = (action: string, parameters: object): cr.AwsSdkCall => ({
    service: 'SSM', action, parameters, region: ALARM_REGION, physicalResourceId: cr.PhysicalResourceId.of(name),
  });
  const put = call('putParameter', { Name: name, Value: healthCheckId, Type: 'String', Overwrite: true, Description: description });
  new cr.AwsCustomResource(stack, 'HealthCheckIdParameter', {
    onCreate: put,
    onUpdate: put,
    onDelete: { ...call('deleteParameter', { Name: name }), ignoreErrorCodesMatching: 'ParameterNotFound' },
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
      actions: ['ssm:DeleteParameter', 'ssm:PutParameter'],
      resources: [`arn:${Aws.PARTITION}:ssm:${ALARM_REGION}:${stack.account}:parameter${name}`],
    })]),
    installLatestAwsSdk: false,
  });
  const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (provider) {
    const what = 'aws-cdk-lib\'s AwsCustomResource provider, which only writes this stack\'s health check id to one SSM parameter in us-east-1 at deploy time';
    NagSuppressions.addResourceSuppressions(provider, [{ id: 'AwsSolutions-L1', reason: `${what}: aws-cdk-lib picks its Node.js runtime; it serves no traffic` }]);
    NagSuppressions.addResourceSuppressions(provider.node.findChild('ServiceRole'), [{
      id: 'AwsSolutions-IAM4',
      reason: `${what}: AWSLambdaBasicExecutionRole only lets it write its own logs; its other permissions are PutParameter and DeleteParameter on that one parameter`,
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    }]);
  }
}

/**
 * The region's API Gateway `5XXError` alarm: the Average of `5XXError` is the share of requests answered 5XX (AWS
 * documents it as the error rate); more than 5 % for 5 minutes in a row. No requests is no data and no alarm.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 */
export function buildServerErrorAlarm(api: apigateway.RestApi, recordName: string, region: string, stageName: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(Stack.of(api), 'ServerErrorAlarm', {
    alarmDescription: `API Gateway answers 5XX to more than 5 % of the requests of ${recordName} in ${region} (stage ${stageName}), 5 minutes in a row`,
    metric: apiGatewayMetric(api, stageName, '5XXError', { statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(1) }),
    threshold: 0.05,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/**
 * A metric of one API's stage in `AWS/ApiGateway`, by the dimensions `ApiName` and `Stage` (concrete names, readable in
 * dashboards), in the API's region and account.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 */
export function apiGatewayMetric(
  api: apigateway.RestApi, stageName: string, metricName: string, props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  const { region, account } = Stack.of(api);
  return new cloudwatch.Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: { ApiName: api.restApiName, Stage: stageName },
    region,
    account,
    ...props,
  });
}
