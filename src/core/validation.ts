import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { spelledForUser } from './errors';
import { isPendingZoneLookup } from './zones';

/**
 * Synth-time validation that collects every error instead of stopping at the first one: each construct registers one
 * `node.addValidation`, and `app.synth()` reports all errors of all constructs together, each under its construct
 * path. Use it for input that leaves the construct buildable (a name AWS would reject at deploy, an unknown region);
 * input that makes the construct impossible to build still throws `MultiRegionFailoverError`.
 * @internal
 */
export function addError(construct: IConstruct, message: string): void {
  errorsOf(construct).push(spelledForUser(message));
}

/** The errors already collected for `construct` (for tests and for constructs that check before adding). @internal */
export function collectedErrors(construct: IConstruct): readonly string[] {
  return ERRORS.get(construct) ?? [];
}

const ERRORS = new WeakMap<IConstruct, string[]>();

function errorsOf(construct: IConstruct): string[] {
  let errors = ERRORS.get(construct);
  if (!errors) {
    const list: string[] = [];
    errors = list;
    ERRORS.set(construct, list);
    construct.node.addValidation({ validate: () => [...list] });
  }
  return errors;
}

/** Context key: extra region names to accept (regions AWS launched after this aws-cdk-lib's region list). */
export const EXTRA_REGIONS_CONTEXT = 'cdk-multi-region-failover:extraRegions';

/**
 * Checks that every region is one AWS has launched, by aws-cdk-lib's region list (`RegionInfo.regions`), and that
 * all are in one partition: `us-west-9` has the right shape but no endpoint, so the deploy would fail. A region newer
 * than the installed aws-cdk-lib can be allowed with the context key `cdk-multi-region-failover:extraRegions`
 * (a list of names).
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 * @internal
 */
export function validateKnownRegions(construct: IConstruct, regions: string[], property = 'regions'): void {
  const extra = extraRegions(construct);
  const partitions = new Set<string>();
  for (const region of regions) {
    if (Token.isUnresolved(region)) {
      continue;
    }
    if (extra.includes(region)) {
      continue;
    }
    const info = KNOWN_REGIONS.get(region);
    if (!info) {
      addError(construct, `\`${property}\` holds ${region}, which is not an AWS region (aws-cdk-lib's region list has no such region; `
        + `for a region newer than your aws-cdk-lib, upgrade it or add the name to the context key "${EXTRA_REGIONS_CONTEXT}")`);
      continue;
    }
    partitions.add(info);
  }
  if (partitions.size > 1) {
    addError(construct, `\`${property}\` must be regions of one AWS partition (an account exists in one partition), got regions of: ${[...partitions].sort().join(', ')}`);
  }
}

const KNOWN_REGIONS = new Map<string, string>(RegionInfo.regions.map((r) => [r.name, r.partition ?? 'aws']));

function extraRegions(construct: IConstruct): string[] {
  const value = construct.node.tryGetContext(EXTRA_REGIONS_CONTEXT);
  if (Array.isArray(value)) {
    return value.filter((v): v is string => typeof v === 'string');
  }
  return typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter((v) => v.length > 0) : [];
}

/** Options of `validateDnsName`. @internal */
export interface DnsNameOptions {
  /** The prop that holds the name, for the message. */
  readonly property: string;
  /** Why the name must be a host name (e.g. "it gets an ACM certificate"); names the reason in the message. */
  readonly reason: string;
  /** Whether a leading `*.` wildcard label is allowed. @default false */
  readonly allowWildcard?: boolean;
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const ROUTE53_DOC = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html';

/**
 * Checks that `name` is a host name: labels of letters, digits and hyphens (not at either end of a label), each at most
 * 63 bytes, at most 253 characters in all (Route 53's limit is 255 bytes including the dots and the trailing dot).
 * Route 53 accepts more characters in record names (it stores `!`, `@`, `_` … as escape codes), but a name that clients
 * connect to over HTTPS must be a host name: ACM issues certificates, and API Gateway and CloudFront serve custom
 * domains, for host names only. `@` is the zone-apex shorthand of BIND zone files, not of Route 53, which would create a
 * record literally named `\100`. Tokens are not checked.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
 * @internal
 */
export function validateDnsName(construct: IConstruct, name: string, options: DnsNameOptions): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  const fqdn = name.endsWith('.') ? name.slice(0, -1) : name;
  const label = `\`${options.property}\``;
  if (fqdn === '@' || fqdn.startsWith('@.')) {
    addError(construct, `${label} must not use "@" for the zone apex: Route 53 does not read it as the apex (it would be a record named "\\100"); give the zone name itself, got: ${name}`);
    return;
  }
  if (fqdn.length === 0 || fqdn.length > 253) {
    addError(construct, `${label} must be 1 to 253 characters long (Route 53 allows 255 bytes with the dots; ${ROUTE53_DOC}), got ${fqdn.length}: ${name}`);
    return;
  }
  const labels = fqdn.toLowerCase().split('.');
  const bad = labels.filter((l, i) => !(HOST_LABEL.test(l) || (i === 0 && options.allowWildcard && l === '*')));
  if (bad.length > 0) {
    addError(construct, `${label} must be a host name because ${options.reason}: labels of 1 to 63 letters, digits and hyphens, `
      + `no hyphen at either end${options.allowWildcard ? ', optionally a leading "*." wildcard' : ''} (${ROUTE53_DOC}); `
      + `invalid label${bad.length > 1 ? 's' : ''} ${bad.map((l) => `"${l}"`).join(', ')} in: ${name}`);
  }
}

/** The largest TTL this library accepts on a record: 2 days. */
export const MAX_RECORD_TTL_SECONDS = 172800;
/** Above this TTL a failover record warns: AWS recommends 60 s or less on health-checked records. */
export const FAILOVER_TTL_WARNING_SECONDS = 300;

/**
 * Checks a record TTL: 0 to 172800 s (2 days) is accepted; on a health-checked failover record a TTL above 300 s
 * warns, because resolvers keep answering the failed region for that long after Route 53 has switched (AWS
 * recommends 60 s or less on records with a health check).
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
 * @internal
 */
export function validateTtl(construct: IConstruct, ttl: Duration | undefined, property: string, options: { failover: boolean }): void {
  if (ttl === undefined || Token.isUnresolved(ttl.toSeconds({ integral: false }))) {
    return;
  }
  const seconds = ttl.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_RECORD_TTL_SECONDS) {
    addError(construct, `\`${property}\` must be a whole number of seconds from 0 to ${MAX_RECORD_TTL_SECONDS} (2 days), got: ${seconds} s`);
    return;
  }
  if (options.failover && seconds > FAILOVER_TTL_WARNING_SECONDS) {
    addWarning(construct, 'cdk-multi-region-failover:long-failover-ttl',
      `\`${property}\` is ${seconds} s on a health-checked failover record: resolvers keep answering the failed region for up to that long after Route 53 switches. AWS recommends 60 s or less (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html).`);
  }
}

/** Names claimed in one app: `record:<zone>|<name>` and `stack:<account>|<region>|<name>` → claimant paths. */
const CLAIMS = new WeakMap<IConstruct, Map<string, IConstruct[]>>();

function claim(construct: IConstruct, key: string): IConstruct[] {
  const root = construct.node.root;
  let claims = CLAIMS.get(root);
  if (!claims) {
    claims = new Map();
    CLAIMS.set(root, claims);
  }
  const holders = claims.get(key) ?? [];
  claims.set(key, holders);
  if (!holders.includes(construct)) {
    holders.push(construct);
  }
  return holders;
}

/**
 * Claims a DNS record name of a hosted zone for `construct`. When two constructs of one app claim the same name in the
 * same zone (two failover record sets, two PRIMARY records), each gets a synth error naming the other: Route 53 would
 * reject the second `ChangeResourceRecordSets` at deploy, or worse, the two would share one failover group.
 * Nothing is claimed while `zone` is the placeholder of a pending `HostedZone.fromLookup` (`DUMMY` stands for every
 * zone looked up, so it tells no zone from another); the CLI's second synthesis, with the real id, claims the name.
 * @internal
 */
export function claimRecordName(construct: IConstruct, zone: string, recordName: string, property: string): void {
  if (Token.isUnresolved(zone) || Token.isUnresolved(recordName) || isPendingZoneLookup(construct, zone)) {
    return;
  }
  const name = recordName.toLowerCase().replace(/\.$/, '');
  const holders = claim(construct, `record:${zone}|${name}`);
  construct.node.addValidation({
    validate: () => holders.length < 2 ? [] : [spelledForUser(
      `\`${property}\` ${name} in hosted zone ${zone} is also claimed by ${holders.filter((h) => h !== construct).map((h) => h.node.path).join(', ')}: one name can belong to one construct only (give each its own name)`)],
  });
}

/**
 * Claims the stack names of `stacks` for `construct`: a stack of another construct (or of your app) with the same
 * account, region and stack name would be the same CloudFormation stack at deploy, and the second deploy would replace
 * the first one's resources.
 * @internal
 */
export function claimStackNames(construct: IConstruct, stacks: Stack[]): void {
  construct.node.addValidation({
    validate: () => {
      const errors: string[] = [];
      const all = construct.node.root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
      for (const stack of stacks) {
        const clash = all.filter((other) => other !== stack && !stack.nestedStackParent && !other.nestedStackParent
          && other.stackName === stack.stackName && other.account === stack.account && other.region === stack.region);
        if (clash.length > 0) {
          errors.push(spelledForUser(`stack name ${stack.stackName} (${stack.account}/${stack.region}) of ${stack.node.path} is also the name of ${clash.map((c) => c.node.path).join(', ')}: `
            + 'CloudFormation would deploy both into one stack; set `stackNamePrefix` to tell them apart'));
        }
      }
      return errors;
    },
  });
}

/**
 * A warning the user can acknowledge (`Annotations.of(construct).acknowledgeWarning(id, …)`) that reaches the cloud
 * assembly (`cdk synth --strict` fails on it). A multi-region construct sits above its stacks, and annotations of a
 * construct outside every stack are in no stack's metadata: they would be lost. There the warning goes on the
 * construct's first stack at synthesis; an acknowledgement on the construct (or any scope above) still covers it,
 * since aws-cdk-lib looks acknowledgements up along the path.
 * @internal
 */
export function addWarning(construct: IConstruct, id: string, message: string): void {
  if (construct.node.scopes.some((s) => Stack.isStack(s))) {
    Annotations.of(construct).addWarningV2(id, message);
    return;
  }
  let added = false;
  construct.node.addValidation({
    validate: () => {
      if (!added) {
        added = true;
        const stack = construct.node.findAll().find((c) => Stack.isStack(c));
        Annotations.of(stack ?? construct).addWarningV2(id, message);
      }
      return [];
    },
  });
}
