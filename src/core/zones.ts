import { Stack, Token } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { IConstruct } from 'constructs';
import { MultiRegionFailoverError } from './errors';
import { isHostedZoneId } from './regions';

/**
 * The hosted zone id `HostedZone.fromLookup` returns while its context is missing: aws-cdk-lib's dummy value is
 * `{ Id: 'DUMMY', Name: <the queried domainName> }` (aws-route53 `HostedZone.fromLookup`).
 * @internal
 */
export const LOOKUP_PLACEHOLDER_ZONE_ID = 'DUMMY';

/**
 * Whether `hostedZoneId` is the placeholder of a `HostedZone.fromLookup` whose context the CDK CLI has not fetched yet:
 * the id is aws-cdk-lib's dummy `DUMMY`, and a stack of this app has reported the `hosted-zone` context of
 * `zoneName` (of any zone when `zoneName` is not given) as missing. On the first synthesis the lookup hands out that
 * dummy and reports the missing key; the CLI then looks the zone up and synthesizes again with the real value.
 * aws-cdk-lib asks consumers of lookup values to "check for the well-known shape of the dummy value", because a
 * synthesis that throws never gets to the lookup and the second, real, synthesis.
 * A literal "DUMMY" without a pending lookup is not a placeholder (it is refused like any other bad id).
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.GetContextValueOptions.html#dummyvalue
 * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
 * @internal
 */
export function isPendingZoneLookup(scope: IConstruct, hostedZoneId: string, zoneName?: string): boolean {
  if (hostedZoneId !== LOOKUP_PLACEHOLDER_ZONE_ID) {
    return false;
  }
  const wanted = zoneName === undefined || Token.isUnresolved(zoneName) ? undefined : normalizeZoneName(zoneName);
  const stacks = scope.node.root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const reports = stacks.map(missingContextOf);
  if (reports.some((r) => r === undefined)) {
    // This aws-cdk-lib keeps its missing context elsewhere: the placeholder's shape is all there is to go by.
    return true;
  }
  return reports.flat().some((m) => {
    const domainName = (m?.props as { domainName?: unknown } | undefined)?.domainName;
    return m?.provider === cxschema.ContextProvider.HOSTED_ZONE_PROVIDER
      && (wanted === undefined || (typeof domainName === 'string' && normalizeZoneName(domainName) === wanted));
  });
}

/**
 * Checks the hosted zone id of a construct that imports the zone by id in stacks of its own: a concrete Route 53 id
 * (`Z...`), or the placeholder of a pending `HostedZone.fromLookup` of `zoneName` (`isPendingZoneLookup`). Returns
 * whether the lookup is pending.
 * @internal
 */
export function validateHostedZoneId(scope: IConstruct, hostedZoneId: string, options: HostedZoneIdOptions): boolean {
  if (isHostedZoneId(hostedZoneId)) {
    return false;
  }
  if (isPendingZoneLookup(scope, hostedZoneId, options.zoneName)) {
    return true;
  }
  throw new MultiRegionFailoverError(`\`${options.property}\` must be a concrete Route 53 hosted zone id (${options.example ?? 'e.g. Z0123456789ABCDEFGHIJ'}), got: ${hostedZoneId}`);
}

/** Options of `validateHostedZoneId`. @internal */
export interface HostedZoneIdOptions {
  /** The prop that holds the id, for the message. */
  readonly property: string;
  /** The name of the zone, to match the pending lookup. @default - any pending hosted zone lookup */
  readonly zoneName?: string;
  /** The example id in the message. @default 'e.g. Z0123456789ABCDEFGHIJ' */
  readonly example?: string;
}

/** A zone or record name in lower case without the trailing dot. @internal */
export function normalizeZoneName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/**
 * What `ContextProvider.getValue` has reported missing in `stack` so far. aws-cdk-lib keeps the reports in the
 * stack's `_missingContext` until synthesis writes them to the cloud assembly's `missing`; it has no public reader.
 * Undefined when this aws-cdk-lib keeps them elsewhere.
 */
function missingContextOf(stack: Stack): cxschema.MissingContext[] | undefined {
  const reports = (stack as unknown as { _missingContext?: unknown })._missingContext;
  return Array.isArray(reports) ? reports as cxschema.MissingContext[] : undefined;
}
