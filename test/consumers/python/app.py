"""A tiny CDK app written the way a Python user would, against the built wheel (see ../run.sh)."""
import os

import aws_cdk as cdk
from aws_cdk import aws_route53 as route53
from cdk_multi_region_failover import ApiAuthorization, FailoverDns, FailoverEndpoint, MultiRegionApi

HERE = os.path.dirname(os.path.abspath(__file__))

app = cdk.App(outdir=os.path.join(HERE, "cdk.out"))
stack = cdk.Stack(
    app,
    "ConsumerPython",
    env=cdk.Environment(account="111111111111", region="us-east-1"),
)

zone = route53.HostedZone.from_hosted_zone_attributes(
    stack,
    "Zone",
    hosted_zone_id="Z0123456789ABCDEFGHIJ",
    zone_name="example.com",
)

dns = FailoverDns(
    stack,
    "Dns",
    zone=zone,
    record_name="api.example.com",
    endpoints=[
        FailoverEndpoint(region="us-east-1", domain_name="primary.example.net"),
        FailoverEndpoint(region="us-west-2", domain_name="dr.example.net"),
    ],
)

# Read back through the jsii runtime: a Duration object from the construct, not a number we typed.
print(f"RTO_SECONDS={dns.recovery_estimate.rto.to_seconds()}")
print(f"RTO_EXPLANATION={dns.recovery_estimate.explanation}")

# A multi-region construct with a bundled Lambda handler: its code must come out of the wheel.
api = MultiRegionApi(
    app,
    "ConsumerApi",
    account="111111111111",
    regions=["us-east-1", "us-west-2"],
    hosted_zone_id="Z0123456789ABCDEFGHIJ",
    zone_name="example.com",
    record_name="orders",
    # Routes need an explicit access choice: here a Cognito user pool (a static factory through jsii).
    authorization=ApiAuthorization.cognito(
        ["arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_Example1"]
    ),
)
print(f"API_STACKS={','.join(s.artifact_id for s in api.stacks)}")
print(f"API_RTO_SECONDS={api.recovery_estimate.rto.to_seconds()}")

app.synth()
