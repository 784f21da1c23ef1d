import { Stack, Token } from 'aws-cdk-lib';
import { validateDrRegion, validateRegion, validateSiteName } from './settings';
import { MultiRegionFailoverError } from '../core/errors';
import { validateStackRegion } from '../core/regions';

/** A building block's account and region. @internal */
export interface ConcreteEnv {
  readonly account: string;
  readonly region: string;
}

/**
 * The concrete account and region of a building-block stack: its resources are named by account and region
 * (buckets, table ARNs, cross-region SSM reads), so an environment-agnostic stack cannot be deployed as intended.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/environments.html
 * @internal
 */
export function concreteEnv(stack: Stack, what: string): ConcreteEnv {
  const region = validateStackRegion(stack, what);
  if (Token.isUnresolved(stack.account)) {
    throw new MultiRegionFailoverError(`\`env.account\` of ${what} ${stack.node.path} must be a concrete 12-digit AWS account id, got: an account-agnostic stack`);
  }
  return { account: stack.account, region };
}

/** A site building block's environment, checked names and regions, and its role. @internal */
export interface SiteBlockEnv extends ConcreteEnv {
  readonly primaryRegion: string;
  readonly drRegion?: string;
  /** `primary` when the stack's region is `primaryRegion`, else `dr`. */
  readonly role: string;
}

/** Checks what every site building block takes (`env`, `siteName`, `primaryRegion`, `drRegion`). @internal */
export function siteBlockEnv(stack: Stack, what: string, props: { siteName: string; primaryRegion: string; drRegion?: string }): SiteBlockEnv {
  const env = concreteEnv(stack, what);
  validateSiteName(props.siteName);
  const primaryRegion = validateRegion(props.primaryRegion, 'primaryRegion');
  const drRegion = props.drRegion !== undefined ? validateDrRegion(props.drRegion, primaryRegion) : undefined;
  return { ...env, primaryRegion, drRegion, role: env.region === primaryRegion ? 'primary' : 'dr' };
}
