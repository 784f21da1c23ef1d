"""The outage simulator (issue 12) from Python, through the built wheel: the jsii API and the console script.

usage: python check_simulator.py ASSEMBLY_DIR   (run with the consumer venv's python, the wheel installed)
ASSEMBLY_DIR: test/simulator/assemblies/failover-cname (a nested Stage assembly: one stack in us-east-1 with a
Route 53 failover CNAME pair for www.example.com, HTTPS health checks every 10 s, failure threshold 2, TTL 15 s).

1. jsii API: OutageSimulator.from_assembly(dir).run(outage="us-east-1") returns typed results.
2. Bad input raises RuntimeError (jsii's mapping of a JavaScript error) with the simulator's message.
3. The wheel's console script `cdk-multi-region-failover` (jsii-pacmak's script for package.json `bin`, run by the
   jsii runtime): `simulate DIR --outage us-east-1 --json` exits 0 with only the JSON document on stdout; a missing
   assembly exits 2 with the error as the last stderr line.
"""
import json
import os
import subprocess
import sys

from cdk_multi_region_failover import OutageSimulator

assembly = os.path.abspath(sys.argv[1])
COMMAND = "cdk-multi-region-failover"
# 10 s interval x 2 failed probes + 6 s HTTPS probe timeout = 26 s detection; + 10 s checker-to-DNS propagation
# (assumption) = 36 s; + 15 s TTL that resolvers keep the old answer = 51 s worst case.
WORST = 51


def fail(msg: str) -> None:
    sys.exit(f"consumer check (python, simulator): FAILED: {msg}")


# 1. the jsii API
result = OutageSimulator.from_assembly(assembly).run(outage="us-east-1")
if (result.outage.region, result.outage.starts_at) != ("us-east-1", 0):
    fail(f"outage: {result.outage}")
flows = {f.id: f for f in result.flows}
dns = flows.get("dns:www.example.com")
if dns is None:
    fail(f"no dns:www.example.com flow; flows: {sorted(flows)}")
got = (dns.kind, dns.impacted, dns.from_region, dns.to_region, dns.recovered_at_seconds, list(dns.blocked_by))
if got != ("dns", True, "us-east-1", "us-west-2", WORST, []):
    fail(f"dns:www.example.com: expected ('dns', True, 'us-east-1', 'us-west-2', {WORST}, []), got {got}")
if not dns.timeline or dns.timeline[0].t != 0 or dns.timeline[-1].phase != "recovered" or dns.timeline[-1].region != "us-west-2":
    fail(f"timeline: {[(e.t, e.phase, e.region, e.event) for e in dns.timeline]}")
print(f"simulator(python API): dns:www.example.com recovers in us-west-2 within {dns.recovered_at_seconds} s "
      f"(typical {dns.typical_seconds} s); {len(result.flows)} flow(s), {len(result.findings)} finding(s)")

# 2. bad input
for bad, expected in [
    (lambda: OutageSimulator.from_assembly(os.path.join(assembly, "missing")),
     "cannot read the cloud assembly manifest: "),
    (lambda: OutageSimulator.from_assembly(assembly).run(outage="us-east-9"),
     "unknown region 'us-east-9'"),
]:
    try:
        bad()
        fail(f"no error for bad input (expected {expected!r})")
    except RuntimeError as e:
        if expected not in str(e):
            fail(f"expected an error with {expected!r}, got {e}")
print("simulator(python API): bad input raises RuntimeError with the simulator's message")

# 3. the console script installed by the wheel (next to this venv's python)
script = os.path.join(os.path.dirname(sys.executable), COMMAND)
if not os.access(script, os.X_OK):
    fail(f"the wheel installed no executable {script}")
ok = subprocess.run([script, "simulate", assembly, "--outage", "us-east-1", "--json"], capture_output=True, text=True)
if ok.returncode != 0:
    fail(f"{COMMAND} simulate exited {ok.returncode}: {ok.stderr.strip()}")
try:
    doc = json.loads(ok.stdout)
except ValueError as e:
    fail(f"stdout is not one JSON document ({e}): {ok.stdout[:300]!r}")
cli_dns = next((f for f in doc["flows"] if f["id"] == "dns:www.example.com"), None)
if doc["outage"] != {"region": "us-east-1", "startsAt": 0} or not cli_dns or cli_dns["recoveredAtSeconds"] != WORST \
        or (cli_dns["from"], cli_dns["to"]) != ("us-east-1", "us-west-2"):
    fail(f"unexpected --json document: {json.dumps(doc)[:600]}")
bad = subprocess.run([script, "simulate", os.path.join(assembly, "missing"), "--outage", "us-east-1"], capture_output=True, text=True)
last = bad.stderr.strip().splitlines()[-1] if bad.stderr.strip() else ""
if bad.returncode != 2 or bad.stdout or not last.startswith(f"{COMMAND}: cannot read the cloud assembly manifest: "):
    fail(f"bad input: expected exit 2, no stdout and the error on stderr; got {bad.returncode}, {bad.stdout!r}, {bad.stderr!r}")
print(f"simulator(python console script): {COMMAND} simulate --json exits 0 with the JSON document; bad input exits 2")
