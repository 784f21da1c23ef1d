/**
 * The account the multi-region integ tests deploy to.
 *
 * - `CDK_INTEG_ACCOUNT` when it is a real 12-digit account id;
 * - else `CDK_DEFAULT_ACCOUNT` (set by the CDK CLI from your credentials when integ-runner deploys);
 * - else `111111111111`: integ-runner synthesizes snapshots with `CDK_INTEG_ACCOUNT=12345678` (not a valid
 *   account, which our constructs reject) and no credentials, so snapshots always hold this placeholder.
 */
export function integAccount(): string {
  const valid = (a: string | undefined): a is string => a !== undefined && /^\d{12}$/.test(a);
  if (valid(process.env.CDK_INTEG_ACCOUNT)) return process.env.CDK_INTEG_ACCOUNT;
  if (valid(process.env.CDK_DEFAULT_ACCOUNT)) return process.env.CDK_DEFAULT_ACCOUNT;
  return '111111111111';
}
