"""Issue 18 item 2 from Python: hosted zones from HostedZone.from_lookup, synthesized the way the CDK CLI does it.

The CLI runs the app once without the context: aws-cdk-lib's lookup hands out a placeholder zone (id "DUMMY") and
the cloud assembly lists the zone under "missing"; the CLI then looks the zone up and runs the app again with the
value in the context. This script plays both passes against the built wheel, for the four constructs, and checks
the results itself (a failed check raises AssertionError: exit code 1). Run by ../run.sh; needs no AWS credentials.
"""
import json
import os
import shutil

import aws_cdk as cdk
from aws_cdk import aws_route53 as route53
from cdk_multi_region_failover import (
    ApiAuthorization,
    AuroraGlobalFailover,
    FailoverDns,
    FailoverEndpoint,
    GlobalSsrSite,
    MultiRegionApi,
    WriterDnsRecordOptions,
)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cdk.out-lookup")
ACCOUNT = "111111111111"
ENV = cdk.Environment(account=ACCOUNT, region="us-east-1")
# The context key the CLI fills for from_lookup(domain_name="example.com") in ENV, and what it stores there.
KEY = f"hosted-zone:account={ACCOUNT}:domainName=example.com:region=us-east-1"
LOOKED_UP = {"Id": "/hostedzone/Z123", "Name": "example.com."}


def lookup(app):
    stack = cdk.Stack(app, "Lookup", env=ENV)
    return stack, route53.HostedZone.from_lookup(stack, "Zone", domain_name="example.com")


def failover_dns(app, name):
    stack, zone = lookup(app)
    FailoverDns(
        stack,
        "Dns",
        zone=zone,
        record_name=name,
        endpoints=[
            FailoverEndpoint(region="us-east-1", domain_name="us-east-1.origin.example.net"),
            FailoverEndpoint(region="us-west-2", domain_name="us-west-2.origin.example.net"),
        ],
    )


def looked_up_zone(app):
    """The looked-up zone as the constructs that take it by id and name (not as an IHostedZone) want it."""
    _, zone = lookup(app)
    return {"hosted_zone_id": zone.hosted_zone_id, "zone_name": zone.zone_name}


def multi_region_api(app, name):
    MultiRegionApi(
        app,
        "Api",
        account=ACCOUNT,
        regions=["us-east-1", "us-west-2"],
        **looked_up_zone(app),
        record_name=name,
        authorization=ApiAuthorization.none(),
    )


def global_ssr_site(app, name):
    GlobalSsrSite(
        app,
        "Site",
        account=ACCOUNT,
        primary_region="eu-west-1",
        dr_region="eu-central-1",
        domain_name=name,
        **looked_up_zone(app),
        site_name="shop",
    )


def aurora_writer_record(app, name):
    AuroraGlobalFailover(
        app,
        "Db",
        account=ACCOUNT,
        regions=["us-east-1", "us-west-2"],
        global_cluster_identifier="orders",
        writer_dns_record=WriterDnsRecordOptions(**looked_up_zone(app), record_name=name),
    )


CASES = [
    # construct, build, a name inside the zone, one outside, the error for the one outside (Python spelling)
    ("FailoverDns", failover_dns, "api.example.com", "api.example.org",
     "`record_name` must be inside the hosted zone example.com, got: api.example.org"),
    ("MultiRegionApi", multi_region_api, "api.example.com", "api.example.org",
     "`record_name` must be inside the hosted zone example.com, got: api.example.org"),
    ("GlobalSsrSite", global_ssr_site, "www.example.com", "www.example.org",
     "`domain_name` must be the zone name or a name inside the hosted zone example.com, got: www.example.org"),
    ("AuroraGlobalFailover", aurora_writer_record, "writer.db.example.com", "writer.db.example.org",
     "`writer_dns_record.record_name` must be inside the hosted zone example.com, got: writer.db.example.org"),
]


def synth(build, name, outdir, context=None):
    """Runs one pass into outdir; returns the manifest and every template (as read from disk, like the CLI)."""
    shutil.rmtree(outdir, ignore_errors=True)
    app = cdk.App(outdir=outdir, context=context or {})
    build(app, name)
    app.synth()
    with open(os.path.join(outdir, "manifest.json")) as f:
        manifest = json.load(f)
    templates = []
    for root, _, files in os.walk(outdir):
        for file in files:
            if file.endswith(".template.json"):
                with open(os.path.join(root, file)) as f:
                    templates.append(f.read())
    return manifest, "\n".join(templates)


def error_of(build, name, outdir, context):
    try:
        synth(build, name, outdir, context)
    except Exception as e:  # jsii raises a RuntimeError carrying the library's message
        return str(e).splitlines()[0]
    return "nothing was thrown"


for construct, build, good, bad, bad_error in CASES:
    out = os.path.join(OUT, construct)
    # First pass: no context. It must synthesize and list the zone as missing, or the CLI never looks it up.
    manifest, _ = synth(build, good, out + "-pass1")
    missing = [m["key"] for m in manifest.get("missing", [])]
    assert missing == [KEY], f"{construct}: first pass reports {missing}, expected [{KEY}]"
    print(f"{construct.upper()}_FIRST_PASS_MISSING={','.join(missing)}")
    # Second pass: the looked-up zone in the context, as the CLI passes it.
    manifest, templates = synth(build, good, out + "-pass2", {KEY: LOOKED_UP})
    assert "missing" not in manifest, f"{construct}: second pass still reports {manifest.get('missing')}"
    assert '"HostedZoneId": "Z123"' in templates, f"{construct}: no record or certificate in the looked-up zone Z123"
    assert "DUMMY" not in templates, f"{construct}: the second pass still uses the placeholder zone"
    print(f"{construct.upper()}_SECOND_PASS=ok")
    # A name outside the looked-up zone still fails with the usual error.
    error = error_of(build, bad, out + "-bad", {KEY: LOOKED_UP})
    assert error == bad_error, f"{construct}: expected {bad_error!r}, got {error!r}"
    print(f"{construct.upper()}_OUTSIDE_ZONE_ERROR={error}")

print("LOOKUP=passed")
