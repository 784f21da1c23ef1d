import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** What the built-in handler calls: `GetItem` (`/read`, `/health`) and a conditional `PutItem` (`/write`). */
export const HANDLER_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'];
/** What the health function calls: one `GetItem` of a fixed key. */
export const HEALTH_ACTIONS = ['dynamodb:GetItem'];
/** `grantReadData`: the item reads of aws-cdk-lib's `grantReadData`, without the stream actions (no stream here). */
export const READ_DATA_ACTIONS = [
  'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan',
];
/** `grantWriteData`: the item writes of aws-cdk-lib's `grantWriteData`. */
export const WRITE_DATA_ACTIONS = [
  'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem',
];
const KMS_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_READ_WRITE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/** One region's replica of the global table, by deterministic ARN: no token crosses stacks. */
export interface ReplicaRef {
  readonly account: string;
  readonly region: string;
  readonly tableName: string;
  /** The replica's customer managed key, if any. */
  readonly keyArn?: string;
}

/** The ARN of the replica in its region. */
export function replicaArn(replica: ReplicaRef): string {
  return `arn:${Aws.PARTITION}:dynamodb:${replica.region}:${replica.account}:table/${replica.tableName}`;
}

/**
 * Grants `actions` on one region's replica (the table itself, no index: the construct creates none) and, with a
 * customer managed key, the matching KMS actions on that region's key, usable only through DynamoDB in that region
 * (`kms:ViaService`, as in the key policy AWS documents for DynamoDB:
 * https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html).
 */
export function grantReplica(grantee: iam.IGrantable, replica: ReplicaRef, actions: string[]): iam.Grant {
  const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [replicaArn(replica)] });
  if (!replica.keyArn) {
    return grant;
  }
  const writes = actions.some((a) => !READ_DATA_ACTIONS.includes(a));
  return grant.combine(iam.Grant.addToPrincipal({
    grantee,
    actions: writes ? KMS_READ_WRITE : KMS_READ,
    resourceArns: [replica.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${replica.region}.${Aws.URL_SUFFIX}` } },
  }));
}
