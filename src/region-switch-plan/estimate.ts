import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { RegionSwitchStep } from './props';
import { RecoveryModel } from '../core/recovery';
import { RecoveryBasis, RecoveryEstimate, RecoveryTerm } from '../core/recovery-types';

/*
 * The recovery estimate of the workflow that runs when the primary Region fails: detection is the trigger (alarm evaluation,
 * then Region switch starting the execution), or nothing when no trigger starts the plan (a person must); propagation is
 * the steps in order (a parallel group counts its slowest step).
 */

const ALARM_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation';
const TRIGGER_DOC = 'https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch-plans.html';

/** Default assumption: time from the trigger's alarms meeting their condition to the execution starting. @internal */
export const TRIGGER_START_DELAY = Duration.minutes(1);
/** Default assumption for an alarm whose evaluation window this library cannot read. @internal */
export const UNKNOWN_ALARM_WINDOW = Duration.minutes(5);

/** How long an alarm takes to reach ALARM: period × evaluation periods, when the alarm is a CDK `Alarm` with a concrete period. @internal */
export function alarmWindowTerm(alarm: cloudwatch.IAlarm): RecoveryTerm {
  const cfn = alarm.node.defaultChild;
  if (cfn instanceof cloudwatch.CfnAlarm && typeof cfn.period === 'number' && typeof cfn.evaluationPeriods === 'number' && !Token.isUnresolved(cfn.period)) {
    return {
      label: `trigger alarm ${alarm.node.id} (${cfn.period} s × ${cfn.evaluationPeriods})`,
      duration: Duration.seconds(cfn.period * cfn.evaluationPeriods),
      basis: RecoveryBasis.DOCUMENTED,
      source: ALARM_DOC,
      setting: 'the alarm\'s `period` and `evaluationPeriods`',
    };
  }
  return {
    label: `trigger alarm ${alarm.node.id} (evaluation window not known)`,
    duration: UNKNOWN_ALARM_WINDOW,
    basis: RecoveryBasis.ASSUMPTION,
    source: 'an alarm this library cannot read (imported, a composite alarm, or a metric math alarm): 5 minutes assumed',
  };
}

/** Inputs of `planEstimate`. @internal */
export interface PlanEstimateInput {
  readonly planName: string;
  readonly action: string;
  readonly targetRegion: string;
  readonly steps: RegionSwitchStep[];
  /** Alarms of the trigger that starts this workflow, if any. */
  readonly triggerAlarms?: cloudwatch.IAlarm[];
  readonly triggerStartDelay?: Duration;
}

/** The estimate of one workflow. @internal */
export function planEstimate(input: PlanEstimateInput): RecoveryEstimate {
  const detection: RecoveryTerm[] = [];
  const reasons: string[] = [];
  if (input.triggerAlarms && input.triggerAlarms.length) {
    // Every condition of a trigger must be met: the slowest alarm decides.
    const windows = input.triggerAlarms.map(alarmWindowTerm).sort((a, b) => b.duration.toSeconds() - a.duration.toSeconds());
    detection.push(windows[0]);
    detection.push({
      label: 'Region switch starts the execution',
      duration: input.triggerStartDelay ?? TRIGGER_START_DELAY,
      basis: RecoveryBasis.ASSUMPTION,
      source: `AWS publishes no figure for a trigger to start an execution (${TRIGGER_DOC})`,
      setting: '`triggerStartDelay`',
    });
  } else {
    reasons.push(`no trigger starts the plan to ${input.action} ${input.targetRegion}: a person must execute it (\`addTrigger\` starts it from alarms)`);
  }
  reasons.push(...input.steps.flatMap((s) => (s.manualReason ? [s.manualReason] : [])));
  return RecoveryModel.estimate({
    summary: `Region switch plan ${input.planName} (${input.action} ${input.targetRegion})`,
    detection,
    propagation: input.steps.flatMap((s) => s.recoveryTerms),
    noAutomaticRecovery: reasons.length ? reasons.join('; ') : undefined,
    rpo: input.steps.find((s) => s.recoveryPoint)?.recoveryPoint,
  });
}
