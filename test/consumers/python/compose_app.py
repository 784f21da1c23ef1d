"""Issue 11 items 3 and 4 from Python: alarm topics and the Stage/App account, against the built wheel.

Run by ../run.sh with CDK_DEFAULT_ACCOUNT=333333333333 in the environment (what the CDK CLI sets from the
caller's credentials). Prints one KEY=value line per fact; check_compose.py asserts on them and on cdk.out.
"""
import os
import sys
import tempfile

import aws_cdk as cdk
from aws_cdk import aws_lambda
from cdk_multi_region_failover import (
    ApiAuthorization, FailoverErrors, GlobalSsrSite, MultiRegionApi, RdsCrossRegionReplica, SsrFunctionOptions,
)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cdk.out-compose")
STAGE_ACCOUNT = "222222222222"
ZONE = {"hosted_zone_id": "Z0123456789ABCDEFGHIJ", "zone_name": "example.com"}


def topics(account):
    return {region: f"arn:aws:sns:{region}:{account}:ops-alarms" for region in ("us-east-1", "us-west-2")}


app = cdk.App(outdir=OUT)

# Item 4: no `account` anywhere in the props. Under a Stage with an account: the Stage's account.
prod = cdk.Stage(app, "Prod", env=cdk.Environment(account=STAGE_ACCOUNT))
staged = MultiRegionApi(
    prod,
    "Orders",
    regions=["us-west-2", "us-east-1"],
    record_name="orders",
    authorization=ApiAuthorization.none(),
    # Item 3: the team's existing topics, one per region, plain ARNs.
    alarm_topic_arns=topics(STAGE_ACCOUNT),
    **ZONE,
)
print(f"STAGE_ACCOUNTS={','.join(sorted({s.account for s in staged.stacks}))}")

# Directly under the App: CDK_DEFAULT_ACCOUNT (the CLI's account).
plain = MultiRegionApi(
    app,
    "Catalog",
    regions=["us-east-1", "us-west-2"],
    record_name="catalog",
    authorization=ApiAuthorization.none(),
    **ZONE,
)
print(f"APP_ACCOUNTS={','.join(sorted({s.account for s in plain.stacks}))}")

# An explicit account that contradicts the Stage's is an error, spelled for Python.
try:
    MultiRegionApi(
        cdk.Stage(app, "Staging", env=cdk.Environment(account=STAGE_ACCOUNT)),
        "Wrong",
        account="444444444444",
        regions=["us-east-1", "us-west-2"],
        record_name="wrong",
        authorization=ApiAuthorization.none(),
        **ZONE,
    )
    print("CONTRADICTION_ERROR=none")
except Exception as e:  # jsii raises a RuntimeError carrying the library's message
    print(f"CONTRADICTION_ERROR={str(e).splitlines()[0]}")
    # Issue 18 item 3: the documented way to recognise the library's errors works with the message in Python.
    print(f"CONTRADICTION_EXCEPTION_TYPE={type(e).__name__}")
    print(f"CONTRADICTION_IS_FAILOVER_MESSAGE={FailoverErrors.is_failover_message(str(e))}")
    print(f"CONTRADICTION_IS_FAILOVER_ERROR_OF_MESSAGE={FailoverErrors.is_failover_error(str(e))}")

# An error of aws-cdk-lib itself (an invalid stack name) and one of Python's own are not the library's.
try:
    cdk.Stack(cdk.App(), "Not a valid stack name!")
    print("CDK_ERROR_IS_FAILOVER_MESSAGE=no error")
except Exception as e:
    print(f"CDK_ERROR_IS_FAILOVER_MESSAGE={FailoverErrors.is_failover_message(str(e))}")
print(f"PYTHON_ERROR_IS_FAILOVER_MESSAGE={FailoverErrors.is_failover_message(str(ValueError('boom')))}")

# Issue 18 item 1: your own SSR code (a directory asset) with a DR region: one asset per regional stack, no
# AssetAlreadyAssociatedWithStack. check_compose.py asserts each region's stack publishes it to its own region.
server = tempfile.mkdtemp(prefix="ssr-server-")
with open(os.path.join(server, "index.js"), "w") as fh:
    fh.write("exports.handler = async () => ({ statusCode: 200, body: 'ok' });\n")
GlobalSsrSite(
    app,
    "Shop",
    primary_region="us-west-2",
    dr_region="us-east-2",
    domain_name="shop.example.com",
    ssr=SsrFunctionOptions(code=aws_lambda.Code.from_asset(server)),
    **ZONE,
)
print("OWN_SSR_CODE=synthesized")

# Issue 14: RdsCrossRegionReplica from Python: an encrypted cross-region read replica of a Multi-AZ primary.
RdsCrossRegionReplica(
    app,
    "Ledger",
    regions=["us-east-1", "us-west-2"],
    instance_identifier="ledger",
    stack_name_prefix="ledger",
)
print("RDS_REPLICA=synthesized")

app.synth()

# Item 3's validation from Python: a topic of the wrong region is reported at synth, with the Python spelling.
bad = cdk.App(outdir=OUT + "-bad")
MultiRegionApi(
    bad,
    "Bad",
    account=STAGE_ACCOUNT,
    regions=["us-east-1", "us-west-2"],
    record_name="bad",
    authorization=ApiAuthorization.none(),
    alarm_topic_arns={"us-west-2": f"arn:aws:sns:us-east-1:{STAGE_ACCOUNT}:ops-alarms"},
    **ZONE,
)
try:
    bad.synth()
    print("BAD_TOPIC_ERROR=none")
except Exception as e:
    lines = [line.strip() for line in str(e).splitlines() if "alarm_topic_arns" in line or "alarmTopicArns" in line]
    print(f"BAD_TOPIC_ERROR={lines[0] if lines else str(e).splitlines()[0]}")
    # app.synth()'s validation error lists the collected errors: recognised by its message too.
    print(f"BAD_TOPIC_IS_FAILOVER_MESSAGE={FailoverErrors.is_failover_message(str(e))}")
sys.stdout.flush()
