import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';

/** What the VPC of one region needs. @internal */
export interface DatabaseVpcInput {
  readonly stack: Stack;
  readonly removalPolicy: RemovalPolicy;
  /** Whether to add the DynamoDB gateway and Secrets Manager interface endpoints. */
  readonly clientEndpoints: boolean;
}

/**
 * The VPC `AuroraGlobalFailover` creates in a region when you bring none: 2 AZs (`Fn::GetAZs`, no lookup), isolated
 * subnets only (no NAT gateway, no internet gateway), a flow log, and by default the endpoints a function in those
 * subnets needs to reach its DynamoDB table and the database secret without a NAT gateway.
 * @internal
 */
export function createDatabaseVpc(input: DatabaseVpcInput): ec2.Vpc {
  const { stack } = input;
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  const flowLogs = new logs.LogGroup(stack, 'VpcFlowLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: input.removalPolicy });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
  if (input.clientEndpoints) {
    addClientEndpoints(stack, vpc);
  }
  return vpc;
}

/**
 * The endpoints of the database VPC's clients (functions placed in its isolated subnets, e.g. `MultiRegionApi`'s
 * handler with `vpcProvider: db.vpcProvider`):
 *
 * - DynamoDB **gateway** endpoint on the isolated subnets' route tables: "You can access Amazon DynamoDB from your VPC
 *   using gateway VPC endpoints ... There is no additional charge for using gateway endpoints"
 *   (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-ddb.html).
 * - Secrets Manager **interface** endpoint with private DNS, so the SDK's default `secretsmanager.<region>.amazonaws.com`
 *   resolves to the endpoint's addresses in the VPC
 *   (https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html). Its security group allows
 *   HTTPS (443) from the VPC's CIDR only. An interface endpoint is billed per hour in each AZ it serves, plus data
 *   processed (https://aws.amazon.com/privatelink/pricing/).
 * @internal
 */
function addClientEndpoints(stack: Stack, vpc: ec2.Vpc): void {
  const isolated: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  vpc.addGatewayEndpoint('DynamoDbEndpoint', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: [isolated] });
  const securityGroup = new ec2.SecurityGroup(stack, 'SecretsManagerEndpointSecurityGroup', {
    vpc,
    description: 'Secrets Manager endpoint: HTTPS from clients in the VPC',
    allowAllOutbound: false,
  });
  securityGroup.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS from clients in the VPC');
  vpc.addInterfaceEndpoint('SecretsManagerEndpoint', {
    service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    privateDnsEnabled: true,
    subnets: isolated,
    securityGroups: [securityGroup],
    open: false,
  });
}
