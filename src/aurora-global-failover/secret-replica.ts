import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { suppressAwsCustomResourceProvider } from './writer-endpoint';
import { NagSuppressions } from '../core/nag';

/**
 * The tag key that marks the master secret of global cluster `gid`. Secrets Manager "replicates the encrypted secret
 * data and metadata such as tags and resource policies across the specified Regions"
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/replicate-secrets.html), so each replica carries it.
 * The identifier sits inside the key, followed by `/master-secret`: `ListSecrets` filters match tag keys by prefix, and
 * no other identifier (letters, digits and hyphens only) yields a key that starts with this one.
 * @internal
 */
export function secretTagKey(gid: string): string {
  return `cdk-multi-region-failover/${gid}/master-secret`;
}

/**
 * The ARN of the master secret's replica in a secondary region, read at deploy time in that region. The replica's ARN is
 * "the same as the primary secret except for the Region" (same page), but the primary's ARN is a token of the primary
 * stack (its name ends in a random suffix), and a secondary stack must not reference the primary region. So
 * `ListSecrets` runs in the secondary's own region, filtered by the replicated tag and the primary region; it works
 * while the primary region is down. The secondary stack deploys after the primary stack, which creates the replicas.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html
 * @internal
 */
export function secretReplicaArn(stack: Stack, gid: string, primaryRegion: string): string {
  const call: cr.AwsSdkCall = {
    service: 'SecretsManager',
    action: 'listSecrets',
    parameters: {
      Filters: [{ Key: 'tag-key', Values: [secretTagKey(gid)] }, { Key: 'primary-region', Values: [primaryRegion] }],
    },
    physicalResourceId: cr.PhysicalResourceId.of(`${gid}-master-secret-replica`),
    outputPaths: ['SecretList.0.ARN'],
  };
  const lookup = new cr.AwsCustomResource(stack, 'SecretReplicaArn', {
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    // ListSecrets has no resource-level permissions: "*" is the only resource it accepts.
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] })]),
  });
  NagSuppressions.addResourceSuppressions(lookup.node.findChild('CustomResourcePolicy'), [{
    id: 'AwsSolutions-IAM5',
    reason: 'secretsmanager:ListSecrets supports no resource-level permissions (Resource must be "*"); it lists secret metadata only, never secret values, to find the master secret replica by its tag',
    appliesTo: ['Resource::*'],
  }]);
  suppressAwsCustomResourceProvider(stack);
  return lookup.getResponseField('SecretList.0.ARN');
}
