import { Duration, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ALARM_REGION, healthCheckIdParameterName } from './alarms';
import { apiValidatedAbove } from './validation';
import { routeAlarms, validateAlarmTopicArns } from '../core/alarm-topics';
import { MultiRegionFailoverError } from '../core/errors';
import { prefixFromName, validateStackNamePrefix } from '../core/naming';
import { validateRegions, validateStackRegion } from '../core/regions';
import { validateKnownRegions } from '../core/validation';

/** Properties of an `ApiHealthAlarmsStack`. */
export interface ApiHealthAlarmsStackProps extends StackProps {
  /**
   * The name clients call, fully qualified (e.g. `api.example.com`): named in the alarms' descriptions, and the source
   * of the default `namePrefix`.
   */
  readonly recordName: string;
  /**
   * The regions whose health checks are watched, one alarm each. Each region's `RegionalApiStack` (with `alarms`, the
   * default) publishes its health check id to the SSM parameter this stack reads.
   */
  readonly regions: string[];
  /**
   * The `namePrefix` of the regional API stacks: it names the SSM parameters holding their health check ids
   * (`/cdk-multi-region-failover/<prefix>/api/<region>/health-check-id`).
   * @default - the record name with dots as hyphens, e.g. `api-example-com` for `api.example.com`
   */
  readonly namePrefix?: string;
  /**
   * An existing SNS topic in us-east-1, of this stack's account, that the alarms notify (a CloudWatch alarm notifies
   * topics of its own region).
   * @default - the alarms notify nobody
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
   */
  readonly alarmTopicArn?: string;
}

/**
 * The Route 53 `HealthCheckStatus` alarms of a regional API's health checks, in a stack of their own in us-east-1:
 * Route 53 publishes its health check metrics in US East (N. Virginia) only, whatever the regions of the API. One
 * alarm per region (Minimum < 1 over 1 minute: the health check is unhealthy, so Route 53 fails that region over).
 *
 * No stack references another: each `RegionalApiStack` publishes its health check id to an SSM parameter in us-east-1,
 * and this stack reads it when it deploys, so it must deploy after them (`addDependency` on each; `MultiRegionApi`
 * does it). Missing data is treated as breaching: Route 53 reports `HealthCheckStatus` every minute for as long as the
 * health check exists, so a silent metric means the check is gone (deleted or replaced outside its stack) or Route 53's
 * metrics are impaired; either way failover is no longer watched, and someone should look.
 *
 * `MultiRegionApi` creates one (`alarmsStack`) with `alarms` (the default).
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
 */
export class ApiHealthAlarmsStack extends Stack {
  /** The `HealthCheckStatus` alarms, one per region in `regions` order. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ApiHealthAlarmsStackProps) {
    super(scope, id, props);
    const region = validateStackRegion(this, 'ApiHealthAlarmsStack');
    if (region !== ALARM_REGION) {
      throw new MultiRegionFailoverError(`\`env.region\` must be ${ALARM_REGION}: Route 53 publishes HealthCheckStatus only there, got: ${region}`);
    }
    if (typeof props.recordName !== 'string' || Token.isUnresolved(props.recordName) || props.recordName.length === 0) {
      throw new MultiRegionFailoverError(`\`recordName\` must be a concrete name such as api.example.com, got: ${props.recordName}`);
    }
    const regions = validateRegions(props.regions, { min: 1 });
    const prefix = props.namePrefix !== undefined ? validateStackNamePrefix(props.namePrefix, 'namePrefix') : prefixFromName(props.recordName);
    if (!apiValidatedAbove(this)) {
      validateKnownRegions(this, regions);
      validateAlarmTopicArns(this, props.alarmTopicArn === undefined ? undefined : { [ALARM_REGION]: props.alarmTopicArn },
        [ALARM_REGION], this.account, 'alarmTopicArn');
    }

    this.alarms = regions.map((r) => new cloudwatch.Alarm(this, `HealthCheckStatus-${r}`, {
      alarmDescription: `Route 53 health check of the ${r} endpoint of ${props.recordName} is failing: traffic fails over away from ${r}`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensionsMap: { HealthCheckId: ssm.StringParameter.valueForStringParameter(this, healthCheckIdParameterName(prefix, r)) },
        statistic: cloudwatch.Stats.MINIMUM,
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    }));
    routeAlarms(this, props.alarmTopicArn);
  }
}
