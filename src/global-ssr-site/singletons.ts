import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { NagSuppressions } from '../core/nag';

const BASIC_EXECUTION_ROLE = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/** The stack-level singletons aws-cdk-lib creates for some constructs, and why each is safe. */
const SINGLETONS: { [idPrefix: string]: string } = {
  'AWS679f53fac002430cb0da5b7982bd2287': 'the AwsCustomResource provider (aws-cdk-lib) that reads this site\'s SSM parameters at deploy time',
  'Custom::CDKBucketDeployment': 'the BucketDeployment provider (aws-cdk-lib) that copies the static assets into the primary bucket at deploy time',
};

/**
 * Narrow cdk-nag suppressions on the providers aws-cdk-lib adds to a stack: each rule on the one resource that has
 * the finding, with `appliesTo` where the rule reports findings. Idempotent.
 * @internal
 */
export function suppressSingletons(stack: Stack): void {
  for (const child of stack.node.children) {
    const what = Object.entries(SINGLETONS).find(([prefix]) => child.node.id.startsWith(prefix))?.[1];
    if (what) {
      suppressProvider(child, what);
    }
  }
}

function suppressProvider(provider: IConstruct, what: string): void {
  for (const c of provider.node.findAll()) {
    if (!(c instanceof CfnResource)) {
      continue;
    }
    if (c.cfnResourceType === 'AWS::IAM::Role') {
      NagSuppressions.addResourceSuppressions(c, [
        { id: 'AwsSolutions-IAM4', reason: `${what}: AWSLambdaBasicExecutionRole only lets it write its own logs.`, appliesTo: [BASIC_EXECUTION_ROLE] },
      ]);
    } else if (c.cfnResourceType === 'AWS::IAM::Policy') {
      NagSuppressions.addResourceSuppressions(c, [
        {
          id: 'AwsSolutions-IAM5',
          reason: `${what}: aws-cdk-lib grants it the object-level S3 actions (wildcards over object keys and action suffixes) on the asset bucket and the destination bucket only.`,
          appliesTo: [{ regex: '/^Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\\*$/' }, { regex: '/^Resource::.*\\/\\*$/' }],
        },
      ]);
    } else if (c.cfnResourceType === 'AWS::Lambda::Function') {
      NagSuppressions.addResourceSuppressions(c, [
        { id: 'AwsSolutions-L1', reason: `${what}: aws-cdk-lib pins this provider's runtime; it runs only during deployments.` },
      ]);
    }
  }
}
