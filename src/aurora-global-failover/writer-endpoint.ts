import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { CheckedDns } from './validation';
import { NagSuppressions } from '../core/nag';

/** @internal */
export interface GlobalWriterEndpointProps {
  readonly globalClusterIdentifier: string;
  readonly globalClusterArn: string;
  /** Read the endpoint after these exist (the primary cluster and its writer). */
  readonly after: IConstruct;
}

/**
 * Reads the global writer endpoint at deploy time. CloudFormation has no usable attribute for it: the
 * `AWS::RDS::GlobalCluster` schema exposes only the `GlobalEndpoint` object, not `GlobalEndpoint.Address`
 * (cfn-lint E1010; https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2364), so an
 * `AwsCustomResource` calls `DescribeGlobalClusters`, whose `GlobalCluster.Endpoint` is "the writer endpoint for the
 * new global database cluster. This endpoint always points to the writer DB instance in the current primary
 * cluster" (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalCluster.html).
 * @internal
 */
export class GlobalWriterEndpoint extends Construct {
  /** The global writer endpoint's DNS name. */
  public readonly address: string;

  constructor(scope: Construct, id: string, props: GlobalWriterEndpointProps) {
    super(scope, id);
    const call: cr.AwsSdkCall = {
      service: 'RDS',
      action: 'describeGlobalClusters',
      parameters: { GlobalClusterIdentifier: props.globalClusterIdentifier },
      physicalResourceId: cr.PhysicalResourceId.of(props.globalClusterIdentifier),
      outputPaths: ['GlobalClusters.0.Endpoint'],
    };
    const reader = new cr.AwsCustomResource(this, 'Reader', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['rds:DescribeGlobalClusters'],
        resources: [props.globalClusterArn],
      })]),
    });
    reader.node.addDependency(props.after);
    this.address = reader.getResponseField('GlobalClusters.0.Endpoint');
    suppressAwsCustomResourceProvider(Stack.of(this));
  }

  /** Points a CNAME at the global writer endpoint; the record never changes after deployment. */
  public addCname(dns: CheckedDns): route53.CfnRecordSet {
    return new route53.CfnRecordSet(this, 'Cname', {
      hostedZoneId: dns.hostedZoneId,
      name: `${dns.recordName}.`,
      type: 'CNAME',
      ttl: String(dns.ttl),
      resourceRecords: [this.address],
    });
  }
}

/**
 * The `AwsCustomResource` provider is a stack-level singleton function owned by aws-cdk-lib: one suppression each for its
 * runtime (L1) and its basic execution role (IAM4).
 * @internal
 */
export function suppressAwsCustomResourceProvider(stack: Stack): void {
  const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!provider) {
    return;
  }
  NagSuppressions.addResourceSuppressions(provider, [{
    id: 'AwsSolutions-L1',
    reason: 'aws-cdk-lib\'s AwsCustomResource provider picks its own Node.js runtime; it runs once per deployment to read a value (the global writer endpoint, the secret replica ARN) and serves no traffic',
  }]);
  NagSuppressions.addResourceSuppressions(provider.node.findChild('ServiceRole'), [{
    id: 'AwsSolutions-IAM4',
    reason: 'AWSLambdaBasicExecutionRole only lets aws-cdk-lib\'s AwsCustomResource provider write its own logs; its other permissions are the read calls of this construct (rds:DescribeGlobalClusters on this global cluster, secretsmanager:ListSecrets)',
    appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
  }]);
}
