"""Assert on the Python composition app (compose_app.py): items 3 and 4 of issue 11.

usage: python3 check_compose.py CDK_OUT APP_OUTPUT_LOG
- item 4: stacks under a Stage take the Stage's account, stacks under the App take CDK_DEFAULT_ACCOUNT, an explicit
  account that contradicts the Stage's fails, naming the prop;
- item 3: every region's Route 53 HealthCheckStatus alarm is in us-east-1 and notifies the us-east-1 topic; every
  other alarm notifies its own region's topic; a topic of the wrong region fails synthesis with the Python spelling.
"""
import json
import os
import re
import sys


def fail(msg):
    sys.exit(f"consumer check (python compose): FAILED: {msg}")


out_dir, log_file = sys.argv[1:3]
with open(log_file) as fh:
    log = fh.read()


def printed(key):
    m = re.search(rf"^{key}=(.*)$", log, re.M)
    if not m:
        fail(f"the app did not print {key}=; output was:\n{log}")
    return m.group(1).strip()


if printed("STAGE_ACCOUNTS") != "222222222222":
    fail(f"stacks under Stage Prod must take its account 222222222222, got {printed('STAGE_ACCOUNTS')}")
if printed("APP_ACCOUNTS") != "333333333333":
    fail(f"stacks under the App must take CDK_DEFAULT_ACCOUNT 333333333333, got {printed('APP_ACCOUNTS')}")
contradiction = printed("CONTRADICTION_ERROR")
if "`account` must be the account of the enclosing Stage Staging (222222222222) or be left out, got: 444444444444" not in contradiction:
    fail(f"an explicit account contradicting the Stage must fail with a clear message, got: {contradiction}")
# Issue 18 item 3: FailoverErrors.is_failover_message(str(e)) recognises the library's errors in Python (a RuntimeError),
# thrown or listed by app.synth(), and nothing else; is_failover_error takes the message too.
facts = {
    "CONTRADICTION_EXCEPTION_TYPE": "RuntimeError",
    "CONTRADICTION_IS_FAILOVER_MESSAGE": "True",
    "CONTRADICTION_IS_FAILOVER_ERROR_OF_MESSAGE": "True",
    "BAD_TOPIC_IS_FAILOVER_MESSAGE": "True",
    "CDK_ERROR_IS_FAILOVER_MESSAGE": "False",
    "PYTHON_ERROR_IS_FAILOVER_MESSAGE": "False",
}
for key, want in facts.items():
    if printed(key) != want:
        fail(f"{key} must be {want}, got: {printed(key)}")
bad_topic = printed("BAD_TOPIC_ERROR")
if "`alarm_topic_arns`[us-west-2] must be a topic in us-west-2" not in bad_topic:
    fail(f"a topic of the wrong region must fail synthesis, naming `alarm_topic_arns` (Python spelling), got: {bad_topic}")

stage_dir = os.path.join(out_dir, "assembly-Prod")
with open(os.path.join(stage_dir, "manifest.json")) as fh:
    manifest = json.load(fh)
stacks = {k: a for k, a in manifest["artifacts"].items() if a.get("type") == "aws:cloudformation:stack"}
topic = {r: f"arn:aws:sns:{r}:222222222222:ops-alarms" for r in ("us-east-1", "us-west-2")}
health_alarms = 0
other_alarms = 0
for artifact_id, artifact in stacks.items():
    env = artifact["environment"]
    if env != f"aws://222222222222/{env.rsplit('/', 1)[1]}":
        fail(f"stack {artifact_id} has environment {env}, expected account 222222222222")
    region = env.rsplit("/", 1)[1]
    with open(os.path.join(stage_dir, artifact["properties"]["templateFile"])) as fh:
        resources = json.load(fh).get("Resources", {})
    for name, res in resources.items():
        if res.get("Type") not in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"):
            continue
        props = res.get("Properties", {})
        actions = props.get("AlarmActions", [])
        if topic[region] not in actions:
            fail(f"alarm {name} of {artifact_id} ({region}) does not notify {topic[region]}: {actions}")
        if props.get("MetricName") == "HealthCheckStatus":
            if region != "us-east-1":
                fail(f"HealthCheckStatus alarm {name} is in {region}: Route 53 publishes the metric in us-east-1 only")
            health_alarms += 1
        else:
            other_alarms += 1
if health_alarms != 2:
    fail(f"expected a HealthCheckStatus alarm in us-east-1 for each of the 2 regions, got {health_alarms}")
print(f"consumer check (python compose): ok: Stage account 222222222222, App account from CDK_DEFAULT_ACCOUNT, "
      f"{health_alarms} HealthCheckStatus alarms in us-east-1 and {other_alarms} other alarm(s) notify their region's topic, "
      "contradicting account and wrong-region topic refused with Python spellings, "
      "FailoverErrors.is_failover_message recognises them (and not aws-cdk-lib's or Python's errors)")

# Issue 18 item 1: GlobalSsrSite with your own SSR code (Code.from_asset) in two regions. Each regional stack's SSR
# function takes its code from an asset that the stack's own asset manifest publishes to that region's bucket.
if printed("OWN_SSR_CODE") != "synthesized":
    fail("GlobalSsrSite with ssr.code = Code.from_asset(dir) did not synthesize")
for region in ("us-west-2", "us-east-2"):
    stack = f"shop-example-com-site-{region}"
    manifest = json.load(open(os.path.join(out_dir, "manifest.json")))
    artifact = next((k for k, a in manifest["artifacts"].items() if a.get("properties", {}).get("stackName") == stack), None)
    if artifact is None:
        fail(f"no stack {stack} in {out_dir}")
    template = json.load(open(os.path.join(out_dir, f"{artifact}.template.json")))
    ssr = [r for r in template["Resources"].values()
           if r["Type"] == "AWS::Lambda::Function" and " SSR (" in r["Properties"].get("Description", "")]
    if len(ssr) != 1:
        fail(f"{stack}: expected one SSR function, got {len(ssr)}")
    key = ssr[0]["Properties"]["Code"]["S3Key"]
    assets = json.load(open(os.path.join(out_dir, f"{artifact}.assets.json")))
    published = [d for f in assets["files"].values() for d in f["destinations"].values() if d["objectKey"] == key]
    if not published or any(d.get("region") != region or region not in d["bucketName"] for d in published):
        fail(f"{stack}: the SSR code {key} must be published to the {region} assets bucket, got {published}")
print("consumer check (python compose): own SSR code asset published per region: ok")

# Issue 14: RdsCrossRegionReplica from Python. The us-west-2 stack's replica names the us-east-1 primary by ARN (no
# cross-region reference), with SourceRegion, and is encrypted with a key of its own region.
if printed("RDS_REPLICA") != "synthesized":
    fail("RdsCrossRegionReplica did not synthesize from Python")
manifest = json.load(open(os.path.join(out_dir, "manifest.json")))


def template_of(stack_name):
    artifact = next((k for k, a in manifest["artifacts"].items() if a.get("properties", {}).get("stackName") == stack_name), None)
    if artifact is None:
        fail(f"no stack {stack_name} in {out_dir}")
    return json.load(open(os.path.join(out_dir, f"{artifact}.template.json")))


primary = [r["Properties"] for r in template_of("ledger-db-us-east-1")["Resources"].values() if r["Type"] == "AWS::RDS::DBInstance"]
replica = [r["Properties"] for r in template_of("ledger-db-us-west-2")["Resources"].values() if r["Type"] == "AWS::RDS::DBInstance"]
if len(primary) != 1 or not primary[0].get("MultiAZ") or primary[0].get("StorageType") != "gp3" or not primary[0].get("StorageEncrypted"):
    fail(f"the primary must be one Multi-AZ, gp3, encrypted instance, got {primary}")
if len(replica) != 1:
    fail(f"expected one replica in us-west-2, got {len(replica)}")
source = json.dumps(replica[0].get("SourceDBInstanceIdentifier"))
if "arn:" not in source or ":rds:us-east-1:" not in source or ":db:ledger" not in source or replica[0].get("SourceRegion") != "us-east-1":
    fail(f"the replica must name the us-east-1 primary by ARN with SourceRegion, got {source} / {replica[0].get('SourceRegion')}")
if "ImportValue" in json.dumps(replica[0]) or "KmsKeyId" not in replica[0]:
    fail(f"the replica must use its own region's key and no cross-stack import, got {replica[0]}")
print("consumer check (python compose): RdsCrossRegionReplica primary and encrypted cross-region replica: ok")
