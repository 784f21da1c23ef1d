import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { WriterDnsRecordOptions } from './props';
import { validateGlobalClusterIdentifier } from './support';
import { validateDns, validateDnsRecord, wasChecked } from './validation';
import { suppressAwsCustomResourceProvider as suppressProvider } from '../core/nag';
import { partitionOf } from '../core/partition';
import { validateStackRegion } from '../core/regions';

/** Properties of a `GlobalWriterEndpoint`. */
export interface GlobalWriterEndpointProps {
  /** Identifier of the Aurora global database whose writer endpoint is read. */
  readonly globalClusterIdentifier: string;
  /**
   * The ARN of the global cluster: the reader may call `rds:DescribeGlobalClusters` on it only.
   * @default - `arn:<partition>:rds::<account>:global-cluster:<globalClusterIdentifier>`, from the stack's region and account
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html
   */
  readonly globalClusterArn?: string;
  /**
   * Read the endpoint after these exist: the stack's member cluster (the global cluster has no writer endpoint before its
   * first member joins).
   * @default - no dependency
   */
  readonly readAfter?: IConstruct[];
  /**
   * A CNAME to the endpoint, created beside the reader. Aurora moves the global writer endpoint to the new primary on a
   * switchover or failover, so the record never changes and a failover needs no Route 53 call.
   * @default - no DNS record
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html
   */
  readonly writerDnsRecord?: WriterDnsRecordOptions;
}

/**
 * Reads the global writer endpoint at deploy time, in the stack's own region. CloudFormation has no usable attribute for
 * it: the `AWS::RDS::GlobalCluster` schema exposes only the `GlobalEndpoint` object, not `GlobalEndpoint.Address`
 * (cfn-lint E1010; https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2364), so an
 * `AwsCustomResource` calls `DescribeGlobalClusters`, whose `GlobalCluster.Endpoint` is "the writer endpoint for the
 * new global database cluster. This endpoint always points to the writer DB instance in the current primary
 * cluster" (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalCluster.html). `DescribeGlobalClusters`
 * answers in every region of the global database, so each region can read it locally (no cross-region reference).
 * With `writerDnsRecord` it also creates a static CNAME to the endpoint.
 */
export class GlobalWriterEndpoint extends Construct {
  /** The global writer endpoint's DNS name (a token of this stack). */
  public readonly address: string;
  /**
   * The CNAME of `writerDnsRecord`.
   * @default - undefined without `writerDnsRecord`
   */
  public readonly cname?: route53.CfnRecordSet;

  constructor(scope: Construct, id: string, props: GlobalWriterEndpointProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const gid = validateGlobalClusterIdentifier(props.globalClusterIdentifier);
    const dns = validateDns(this, props.writerDnsRecord);
    if (dns && !wasChecked(props.writerDnsRecord!)) {
      validateDnsRecord(this, dns);
    }
    const call: cr.AwsSdkCall = {
      service: 'RDS',
      action: 'describeGlobalClusters',
      parameters: { GlobalClusterIdentifier: gid },
      physicalResourceId: cr.PhysicalResourceId.of(gid),
      outputPaths: ['GlobalClusters.0.Endpoint'],
    };
    const reader = new cr.AwsCustomResource(this, 'Reader', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['rds:DescribeGlobalClusters'],
        resources: [props.globalClusterArn ?? `arn:${partitionOf(validateStackRegion(stack, 'GlobalWriterEndpoint'))}:rds::${stack.account}:global-cluster:${gid}`],
      })]),
    });
    reader.node.addDependency(...props.readAfter ?? []);
    this.address = reader.getResponseField('GlobalClusters.0.Endpoint');
    suppressAwsCustomResourceProvider(stack);
    if (dns) {
      this.cname = new route53.CfnRecordSet(this, 'Cname', {
        hostedZoneId: dns.hostedZoneId,
        name: `${dns.recordName}.`,
        type: 'CNAME',
        ttl: String(dns.ttl),
        resourceRecords: [this.address],
      });
    }
  }
}

/**
 * The `AwsCustomResource` provider is a stack-level singleton function owned by aws-cdk-lib: one suppression each for its
 * runtime (L1) and its basic execution role (IAM4).
 * @internal
 */
export function suppressAwsCustomResourceProvider(stack: Stack): void {
  suppressProvider(stack,
    'aws-cdk-lib\'s AwsCustomResource provider picks its own Node.js runtime; it runs once per deployment to read a value (the global writer endpoint, the secret replica ARN) and serves no traffic',
    'AWSLambdaBasicExecutionRole only lets aws-cdk-lib\'s AwsCustomResource provider write its own logs; its other permissions are the read calls of this construct (rds:DescribeGlobalClusters on this global cluster, secretsmanager:ListSecrets)');
}
