import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { addError } from './validation';

/**
 * Checks `alarmTopicArns`: one SNS topic ARN per region, every key one of `regions`, each ARN a topic of that region
 * and of `account`. A CloudWatch alarm notifies topics of its own region, so each region's alarms need a topic of that
 * region (Route 53's `HealthCheckStatus` alarms live in us-east-1, where Route 53 publishes the metric).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
 * @internal
 */
export function validateAlarmTopicArns(construct: IConstruct, arns: { [region: string]: string } | undefined,
  regions: string[], account: string, property = 'alarmTopicArns'): void {
  for (const [region, arn] of Object.entries(arns ?? {})) {
    if (!regions.includes(region)) {
      addError(construct, `\`${property}\` has a key ${region}, which is none of this construct's alarm regions (${regions.join(', ')})`);
      continue;
    }
    if (Token.isUnresolved(arn)) {
      continue;
    }
    const parts = /^arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/.exec(arn);
    if (!parts) {
      addError(construct, `\`${property}\`[${region}] must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), got: ${arn}`);
    } else if (parts[2] !== region) {
      addError(construct, `\`${property}\`[${region}] must be a topic in ${region}: a CloudWatch alarm notifies topics of its own region, got a topic in ${parts[2]}: ${arn}`);
    } else if (parts[3] !== account) {
      addError(construct, `\`${property}\`[${region}] must be a topic of account ${account} (the stacks' account), got: ${arn}`);
    }
  }
}

const ROUTED = new WeakMap<cloudwatch.AlarmBase, Set<string>>();

/** Options of `routeAlarms`. @internal */
export interface RouteAlarmsOptions {
  /** Also notify the topic when a metric alarm returns to OK (recovery notices). @default false */
  readonly okActions?: boolean;
}

/**
 * Sends every CloudWatch alarm (metric and composite) under `scope` to the SNS topic `topicArn`, imported by ARN in
 * the scope's stack (no cross-stack reference), and with `okActions` every metric alarm's return to OK as well. Call it
 * once the construct has created its alarms; an alarm already sent to that topic is not sent twice. Does nothing
 * without a topic.
 * @returns the imported topic, if any
 * @internal
 */
export function routeAlarms(scope: IConstruct, topicArn: string | undefined, options: RouteAlarmsOptions = {}): sns.ITopic | undefined {
  if (topicArn === undefined) {
    return undefined;
  }
  const stack = Stack.of(scope);
  const id = `AlarmTopic${Token.isUnresolved(topicArn) ? '' : Arn.split(topicArn, ArnFormat.NO_RESOURCE_NAME).resource}`;
  const topic = (stack.node.tryFindChild(id) as sns.ITopic | undefined) ?? sns.Topic.fromTopicArn(stack, id, topicArn);
  for (const alarm of scope.node.findAll()) {
    if (!(alarm instanceof cloudwatch.AlarmBase) || Stack.of(alarm) !== stack) {
      continue;
    }
    const routed = ROUTED.get(alarm) ?? new Set<string>();
    if (!routed.has(topicArn)) {
      alarm.addAlarmAction(new cw_actions.SnsAction(topic));
      if (options.okActions && alarm instanceof cloudwatch.Alarm) {
        alarm.addOkAction(new cw_actions.SnsAction(topic));
      }
      routed.add(topicArn);
      ROUTED.set(alarm, routed);
    }
  }
  return topic;
}
