import { Arn, ArnFormat, Duration, Token } from 'aws-cdk-lib';
import { MultiRegionFailoverError } from '../core/errors';
import { validateRegions } from '../core/regions';

/*
 * Input checks of `RegionSwitchPlan`, from the Region switch API reference
 * (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html): a plan's `name` is 1 to 32 characters,
 * `[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?`; `regions` is an array of "Fixed number of 2 items";
 * `recoveryTimeObjectiveMinutes` is 1 to 10080; every `timeoutMinutes` is an integer of at least 1.
 */

const PLAN_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

/** Checks the plan's name. @internal */
export function validatePlanName(name: string): string {
  if (typeof name !== 'string' || Token.isUnresolved(name) || !PLAN_NAME.test(name)) {
    throw new MultiRegionFailoverError('`planName` must be 1 to 32 letters, digits and hyphens, starting and ending with a letter '
      + `or digit (Region switch's plan name), got: ${String(name)}`);
  }
  return name;
}

/** Checks the plan's two Regions; more than two gets advice to create one plan per Region pair. @internal */
export function validatePlanRegions(regions: string[]): string[] {
  if (Array.isArray(regions) && regions.length > 2) {
    const pairs = regions.slice(1).map((r) => `${regions[0]} + ${r}`).join(', ');
    throw new MultiRegionFailoverError(`\`regions\` must hold exactly 2 Regions (a Region switch plan has exactly two), got ${regions.length}: `
      + `${regions.join(', ')}; create one RegionSwitchPlan per Region pair (e.g. ${pairs})`);
  }
  if (!Array.isArray(regions) || regions.length < 2) {
    throw new MultiRegionFailoverError(`\`regions\` must hold exactly 2 Regions (a Region switch plan has exactly two), got ${Array.isArray(regions) ? regions.length : 0}`);
  }
  return validateRegions(regions, { property: 'regions', min: 2, max: 2 });
}

/** Checks the primary Region. @internal */
export function validatePrimaryRegion(primary: string | undefined, regions: string[]): string {
  const chosen = primary ?? regions[0];
  if (!regions.includes(chosen)) {
    throw new MultiRegionFailoverError(`\`primaryRegion\` must be one of \`regions\` (${regions.join(', ')}), got: ${chosen}`);
  }
  return chosen;
}

/** A duration in whole minutes, at least 1 (`fallback` when not given: Region switch's default timeout is 60). @internal */
export function wholeMinutes(value: Duration | undefined, property: string, fallback = 60): number {
  if (value === undefined) {
    return fallback;
  }
  if (value.isUnresolved()) {
    throw new MultiRegionFailoverError(`\`${property}\` must be a concrete duration, got a token`);
  }
  const minutes = value.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new MultiRegionFailoverError(`\`${property}\` must be a whole number of minutes of at least 1, got: ${minutes} min`);
  }
  return minutes;
}

/** `recoveryObjectives.rto` as `RecoveryTimeObjectiveMinutes` (rounded up, 1 to 10080). @internal */
export function rtoMinutes(rto: Duration | undefined): number | undefined {
  if (rto === undefined) {
    return undefined;
  }
  if (rto.isUnresolved()) {
    throw new MultiRegionFailoverError('`recoveryObjectives.rto` must be a concrete duration, got a token');
  }
  const minutes = Math.ceil(rto.toSeconds({ integral: false }) / 60);
  if (minutes < 1 || minutes > 10080) {
    throw new MultiRegionFailoverError(`\`recoveryObjectives.rto\` must be between 1 minute and 7 days (RecoveryTimeObjectiveMinutes 1 to 10080), got: ${minutes} min`);
  }
  return minutes;
}

/** A percentage between `min` and `max`. @internal */
export function validatePercent(value: number | undefined, property: string, min: number, max: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MultiRegionFailoverError(`\`${property}\` must be an integer between ${min} and ${max}, got: ${value}`);
  }
  return value;
}

/**
 * Checks that `arns` holds one ARN of `service` (and `resourcePrefix`) for each plan Region, in that Region.
 * @internal
 */
export function validateRegionalArns(arns: { [region: string]: string }, property: string, planRegions: string[], service: string,
  resourcePrefix: string): void {
  const keys = Object.keys(arns ?? {});
  const missing = planRegions.filter((r) => !keys.includes(r));
  const extra = keys.filter((r) => !planRegions.includes(r));
  if (missing.length || extra.length) {
    throw new MultiRegionFailoverError(`\`${property}\` must have one entry for each of the plan's Regions (${planRegions.join(', ')}), got: ${keys.join(', ') || 'none'}`);
  }
  for (const region of planRegions) {
    const arn = arns[region];
    if (Token.isUnresolved(arn)) {
      continue;
    }
    const parts = arn.split(':');
    if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== service || !parts.slice(5).join(':').startsWith(resourcePrefix)) {
      throw new MultiRegionFailoverError(`\`${property}\`[${region}] must be an ARN arn:<partition>:${service}:<region>:<account>:${resourcePrefix}…, got: ${arn}`);
    }
    if (parts[3] !== region) {
      throw new MultiRegionFailoverError(`\`${property}\`[${region}] must be a resource of ${region}, got one of ${parts[3]}: ${arn}`);
    }
  }
}

/** The Region of an ARN, when it is concrete. @internal */
export function arnRegion(arn: string): string | undefined {
  if (Token.isUnresolved(arn)) {
    return undefined;
  }
  return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region;
}
