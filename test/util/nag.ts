import { Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Applies cdk-nag `AwsSolutionsChecks` to `stack` and returns every unsuppressed error as
 * "<path>: <message>". Call it before anything else synthesizes the stack's app
 * (e.g. `Template.fromStack`), or on a fresh stack: aspects only run at the first synthesis.
 *
 * Usage: `expect(nagErrors(stack)).toEqual([]);`
 */
export function nagErrors(stack: Stack): string[] {
  Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }));
  const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
  return errors.map((e) => `${e.id}: ${String(e.entry.data)}`);
}

/** Same as `nagErrors` but for warnings (not a gate; useful to read). */
export function nagWarnings(stack: Stack): string[] {
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
  return warnings.map((e) => `${e.id}: ${String(e.entry.data)}`);
}
