import { Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MultiRegionFailoverError } from './errors';
import { validateAccount } from './regions';

/**
 * The AWS account of a multi-region construct's stacks, resolved the way a CDK user expects:
 *
 * 1. the explicit `account` prop, which must agree with the enclosing Stage's account when the Stage has one;
 * 2. else the enclosing Stage's account (`new Stage(app, 'Prod', { env: { account } })`);
 * 3. else `CDK_DEFAULT_ACCOUNT` (set by the CDK CLI from the credentials of `cdk synth`/`cdk deploy`);
 * 4. else a synth error that names all three.
 *
 * The account must be concrete (12 digits): every regional stack gets an explicit environment, because the
 * constructs create resources (global tables, replicas, ARNs of other regions) that need it at synthesis.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/environments.html
 * @internal
 */
export function resolveAccount(scope: IConstruct, account: string | undefined, property = 'account'): string {
  const stage = Stage.of(scope);
  const stageAccount = stage && stage.account !== undefined && !Token.isUnresolved(stage.account) ? stage.account : undefined;
  if (account !== undefined && account !== '') {
    const explicit = validateAccount(account, property);
    if (stageAccount !== undefined && stageAccount !== explicit) {
      throw new MultiRegionFailoverError(`\`${property}\` must be the account of the enclosing Stage ${stage!.node.path} (${stageAccount}) or be left out, got: ${explicit}`);
    }
    return explicit;
  }
  if (stageAccount !== undefined) {
    return validateAccount(stageAccount, `the account of Stage ${stage!.node.path}`);
  }
  const fromCli = process.env.CDK_DEFAULT_ACCOUNT;
  if (fromCli !== undefined && fromCli !== '') {
    return validateAccount(fromCli, 'CDK_DEFAULT_ACCOUNT');
  }
  throw new MultiRegionFailoverError(`\`${property}\` is required here: set it, or create the construct in a Stage with \`env: { account }\`, or run the CDK CLI with credentials so that it sets CDK_DEFAULT_ACCOUNT`);
}
