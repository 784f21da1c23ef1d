// Internal: not exported from the package index.

/**
 * The partition of a region name, for ARNs built from names: `aws-cn` (China), `aws-us-gov` (GovCloud), else `aws`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html: the partition is "The partition in which the
 * resource is located"; it lists these three), and `aws-iso-b` / `aws-iso` for the isolated `us-isob-` / `us-iso-`
 * regions, which that page does not list.
 * @internal
 */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso')) return 'aws-iso';
  return 'aws';
}
