import * as crypto from 'crypto';
import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MultiRegionFailoverError } from './errors';

/**
 * Stack names of every multi-region construct follow one scheme, `<prefix>-<role>-<region>`, e.g.
 * `api-example-com-api-us-east-1`, `shop-db-eu-west-1`, `app-example-com-site-edge-us-east-1`.
 *
 * The default prefix comes from what the construct serves (its domain name, or the global cluster identifier), never
 * from the construct path: moving a construct into a Stage or renaming its id must not rename its stacks or its
 * stateful resources (a renamed stack is a new stack; a renamed table or cluster is a replacement).
 * @internal
 */
export function regionalStackName(prefix: string, role: string, region: string): string {
  return `${prefix}-${role}-${region}`;
}

/** The longest role + region suffix of a stack name, `-site-origin-ap-southeast-5` (27) with room to spare. */
const LONGEST_SUFFIX = 40;

/**
 * A stack-name prefix from a domain name: `api.example.com` → `api-example-com`. Lower case, letters, digits and
 * hyphens, starting with a letter, at most `maxLength` characters (a longer name keeps its start and gets an 8-character
 * hash of the whole name, so two long names stay distinct).
 * @internal
 */
export function prefixFromName(name: string, maxLength = 128 - LONGEST_SUFFIX): string {
  let prefix = name.toLowerCase().replace(/\.$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(prefix)) {
    prefix = `x-${prefix}`;
  }
  if (prefix.length > maxLength) {
    prefix = `${prefix.slice(0, maxLength - 9).replace(/-+$/, '')}-${hash8(name)}`;
  }
  return prefix;
}

/**
 * Checks an explicit `stackNamePrefix`: starts with a letter, letters, digits and hyphens, short enough for
 * `-<role>-<region>` within CloudFormation's 128 characters.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-using-console-create-stack-parameters.html
 * @internal
 */
export function validateStackNamePrefix(prefix: string, property = 'stackNamePrefix'): string {
  if (Token.isUnresolved(prefix) || !/^[A-Za-z][A-Za-z0-9-]*$/.test(prefix) || prefix.length > 128 - LONGEST_SUFFIX) {
    throw new MultiRegionFailoverError(`\`${property}\` must start with a letter, hold only letters, digits and "-", and be at most ${128 - LONGEST_SUFFIX} characters (room for "-<role>-<region>" in CloudFormation's 128), got: ${prefix}`);
  }
  return prefix;
}

/**
 * Warns that a stateful physical name was derived from the construct path, so it changes when the construct moves
 * into a Stage or is renamed; the warning names the prop that pins it. `on` is where the warning goes: a construct in a
 * stack (metadata on a construct above its stacks never reaches the cloud assembly, so `cdk synth` would not show it).
 * @internal
 */
export function warnPathDerivedName(construct: IConstruct, what: string, name: string, property: string, on: IConstruct = construct): void {
  Annotations.of(on).addWarningV2('cdk-multi-region-failover:path-derived-name',
    `${what} is named ${name}, derived from the construct path ${construct.node.path}: moving the construct into a Stage or renaming its id would rename it, which replaces it (data loss) or orphans it. Set \`${property}\` to pin the name.`);
}

function hash8(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex').slice(0, 8);
}
