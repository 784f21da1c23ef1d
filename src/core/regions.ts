import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MultiRegionFailoverError } from './errors';

/**
 * Region names this library accepts: commercial (`us-east-1`), GovCloud (`us-gov-west-1`),
 * China (`cn-north-1`) and ISO partitions (`us-iso-east-1`, `us-isob-east-1`).
 */
const REGION_PATTERN = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}|cn-(?:north|northwest)-\d)$/;
const ACCOUNT_PATTERN = /^\d{12}$/;

/** Whether `id` is a concrete Route 53 hosted zone id (`Z` and up to 31 upper-case letters or digits). @internal */
export function isHostedZoneId(id: unknown): boolean {
  return typeof id === 'string' && !Token.isUnresolved(id) && /^Z[A-Z0-9]{1,31}$/.test(id);
}

/** Whether `region` is a syntactically valid, concrete AWS region name. */
export function isValidRegionName(region: string): boolean {
  return !Token.isUnresolved(region) && REGION_PATTERN.test(region);
}

/**
 * Checks an explicit AWS account id: required, concrete, 12 digits.
 * @internal
 */
export function validateAccount(account: string | undefined, property = 'account'): string {
  if (account === undefined || account === '') {
    throw new MultiRegionFailoverError(`\`${property}\` is required: multi-region constructs need an explicit 12-digit AWS account id`);
  }
  if (Token.isUnresolved(account)) {
    throw new MultiRegionFailoverError(`\`${property}\` must be a concrete 12-digit AWS account id, got a token: ${account}`);
  }
  if (!ACCOUNT_PATTERN.test(account)) {
    throw new MultiRegionFailoverError(`\`${property}\` must be a 12-digit AWS account id, got: ${account}`);
  }
  return account;
}

/**
 * Checks an ordered list of regions: concrete, valid, distinct, at least `min` and at most `max`.
 * The first region is the primary.
 * @internal
 */
export function validateRegions(regions: string[], options: { property?: string; min?: number; max?: number } = {}): string[] {
  const property = options.property ?? 'regions';
  const min = options.min ?? 2;
  const max = options.max;
  if (!Array.isArray(regions) || regions.length < min) {
    throw new MultiRegionFailoverError(`\`${property}\` needs at least ${min} regions (the first is the primary), got: ${Array.isArray(regions) ? regions.length : 0}`);
  }
  if (max !== undefined && regions.length > max) {
    throw new MultiRegionFailoverError(`\`${property}\` allows at most ${max} regions, got: ${regions.length}`);
  }
  const seen = new Set<string>();
  for (const region of regions) {
    if (typeof region !== 'string' || Token.isUnresolved(region)) {
      throw new MultiRegionFailoverError(`\`${property}\` must hold concrete region names, not tokens or unresolved values, got: ${String(region)}`);
    }
    if (!REGION_PATTERN.test(region)) {
      throw new MultiRegionFailoverError(`\`${property}\` holds an invalid region name, got: ${region}`);
    }
    if (seen.has(region)) {
      throw new MultiRegionFailoverError(`\`${property}\` must not repeat a region, got ${region} twice`);
    }
    seen.add(region);
  }
  return [...regions];
}

/**
 * Checks that a stack is deployed to a concrete region (not region-agnostic, not a token).
 * @internal
 */
export function validateStackRegion(stack: Stack, what: string): string {
  if (Token.isUnresolved(stack.region)) {
    throw new MultiRegionFailoverError(`${what} must be in a stack with a concrete region: set \`env: { account, region }\` on stack ${stack.node.path}, it is region-agnostic`);
  }
  return stack.region;
}

/**
 * Checks that a multi-region construct is created directly under an App or a Stage, not inside a Stack:
 * it creates one Stack per region itself.
 * @internal
 */
export function validateMultiRegionScope(scope: IConstruct, constructName: string): void {
  let current: IConstruct | undefined = scope;
  while (current) {
    if (Stack.isStack(current)) {
      throw new MultiRegionFailoverError(`${constructName} creates one Stack per region and must be created under an App or a Stage, not inside the Stack ${current.node.path}`);
    }
    current = current.node.scope;
  }
}
