"""Assert that the Python consumer's MultiRegionApi stacks staged the built-in Lambda handler bundle.

usage: python3 check_assets.py CDK_OUT APP_OUTPUT_LOG [LANGUAGE]   (LANGUAGE: python (default), go)
The handler's code is `assets/multi-region-api/api-handler.lambda/index.js` inside the wheel or Go module (in
the embedded jsii tarball): a consumer synth that cannot find it fails here.
"""
import json
import os
import re
import sys

outdir, log_file = sys.argv[1:3]
LANG = sys.argv[3] if len(sys.argv) > 3 else "python"


def fail(msg: str) -> None:
    sys.exit(f"consumer check ({LANG}, MultiRegionApi): FAILED: {msg}")


log = open(log_file).read()
m = re.search(r"^API_STACKS=(.+)$", log, re.M)
if not m:
    fail(f"the app did not print API_STACKS=...; output was:\n{log}")
stacks = m.group(1).strip().split(",")
if len(stacks) != 2:
    fail(f"expected 2 regional stacks, got {stacks}")
rto = re.search(r"^API_RTO_SECONDS=([0-9.]+)$", log, re.M)
# Default budget: 10 s x 2 checks + 6 s probe timeout + 10 s propagation (assumption) + 15 s TTL.
if not rto or float(rto.group(1)) != 51:
    fail(f"expected the default 51 s RTO budget, got {rto.group(1) if rto else None}")
for stack in stacks:
    template = json.load(open(os.path.join(outdir, f"{stack}.template.json")))
    functions = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"
                 and r["Properties"].get("Handler") == "index.handler"]
    if not functions:
        fail(f"{stack}: no handler function in the template")
    files = json.load(open(os.path.join(outdir, f"{stack}.assets.json")))["files"]
    bundles = [a for a in files.values() if a["source"].get("packaging") == "zip"
               and os.path.isfile(os.path.join(outdir, a["source"]["path"], "index.js"))]
    if not bundles:
        fail(f"{stack}: no staged Lambda bundle with an index.js in {outdir}")
    code = open(os.path.join(outdir, bundles[0]["source"]["path"], "index.js")).read()
    if "FORCE_UNHEALTHY" not in code:
        fail(f"{stack}: the staged bundle is not the built-in API handler")
print(f"consumer check ({LANG}, MultiRegionApi): ok: {len(stacks)} regional stacks, handler bundle staged from the {'Go module' if LANG == 'go' else 'wheel'}, RTO budget 51 s")
