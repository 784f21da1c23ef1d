#!/usr/bin/env bash
# Packaging check of the outage simulator (issue 12): the npm tarball that `npx projen package:js` builds
# (dist/js/*.tgz), installed into a fresh directory with its peer dependencies (aws-cdk-lib and constructs at this
# repo's pinned versions, from npm's cache when it has them), must run
#   npx cdk-multi-region-failover simulate <assembly> --outage us-east-1 --json
# with only the JSON document on stdout; `--svg` writes the picture; bad input exits 2 with one line on stderr; and
# the jsii API works from plain Node.js. The assembly is test/simulator/assemblies/failover-cname (a nested Stage:
# a Route 53 failover CNAME pair, HTTPS health checks every 10 s, failure threshold 2, TTL 15 s).
#
#   bash .ci/simulator-package.sh        (needs dist/js/*.tgz: npx projen package:js)
#
# No AWS credentials; network only for npm packages missing from the cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSEMBLY="$ROOT/test/simulator/assemblies/failover-cname"
COMMAND=cdk-multi-region-failover
# npm's own warnings (e.g. about this machine's npmrc) go to stderr too: keep stderr for the command's output.
export NPM_CONFIG_LOGLEVEL=error

fail() {
  echo "simulator-package: FAILED: $*" >&2
  exit 1
}
now() { date +%s.%N; }
took() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

t0="$(now)"
shopt -s nullglob
tarballs=("$ROOT"/dist/js/*.tgz)
[[ ${#tarballs[@]} -eq 1 ]] || fail "expected one tarball in dist/js, found ${#tarballs[@]} (run: npx projen package:js)"
tgz="${tarballs[0]}"
cdk="$(node -p "require('$ROOT/package.json').devDependencies['aws-cdk-lib']")"
constructs="$(node -p "require('$ROOT/package.json').devDependencies['constructs']")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tgz" "aws-cdk-lib@$cdk" "constructs@$constructs" >/dev/null
echo "simulator-package: installed $(basename "$tgz") + aws-cdk-lib@$cdk + constructs@$constructs in $(took "$t0") s"

# 1. --json: exit 0 and stdout is exactly one JSON document with the failover flow (worst case computed by hand:
#    10 s x 2 failed probes + 6 s HTTPS probe timeout + 10 s propagation (assumption) + 15 s TTL = 51 s).
set +e
npx --no-install "$COMMAND" simulate "$ASSEMBLY" --outage us-east-1 --json >out.json 2>err.txt
status=$?
set -e
[[ $status -eq 0 ]] || fail "simulate --json exited $status: $(cat err.txt)"
[[ ! -s err.txt ]] || fail "simulate --json wrote to stderr: $(cat err.txt)"
node -e '
  const doc = JSON.parse(require("fs").readFileSync("out.json", "utf-8"));
  const want = (ok, what) => { if (!ok) { console.error(`simulator-package: FAILED: ${what}: ${JSON.stringify(doc).slice(0, 800)}`); process.exit(1); } };
  want(JSON.stringify(Object.keys(doc)) === JSON.stringify(["outage", "flows", "findings"]), "keys of the document");
  want(doc.outage.region === "us-east-1" && doc.outage.startsAt === 0, "outage");
  const dns = doc.flows.find((f) => f.id === "dns:www.example.com");
  want(dns && dns.kind === "dns" && dns.impacted === true && dns.from === "us-east-1" && dns.to === "us-west-2", "dns:www.example.com flow");
  want(dns.recoveredAtSeconds === 51 && dns.blockedBy.length === 0 && dns.timeline.length > 0, "dns:www.example.com worst case 51 s");
  console.log(`simulator-package: --json ok: ${doc.flows.length} flow(s), dns:www.example.com recovered within ${dns.recoveredAtSeconds} s`);'

# 2. the table and --svg
npx --no-install "$COMMAND" simulate "$ASSEMBLY" --outage us-east-1 --svg outage.svg >table.txt
grep -q '^www.example.com  *dns  *yes  *us-east-1 -> us-west-2  *51 s' table.txt || fail "table: $(cat table.txt)"
head -c 40 outage.svg | grep -q '^<svg xmlns="http://www.w3.org/2000/svg"' || fail "--svg did not write an SVG"
echo "simulator-package: table and --svg ok ($(wc -c <outage.svg) bytes)"

# 3. bad input: exit 2, nothing on stdout, one line on stderr
set +e
npx --no-install "$COMMAND" simulate "$work/missing" --outage us-east-1 --json >bad.out 2>bad.err
status=$?
set -e
[[ $status -eq 2 && ! -s bad.out && $(wc -l <bad.err) -eq 1 ]] || fail "bad input: exit $status, stdout '$(cat bad.out)', stderr '$(cat bad.err)'"
grep -q "^$COMMAND: cannot read the cloud assembly manifest: $work/missing/manifest.json (ENOENT)$" bad.err || fail "bad input: $(cat bad.err)"
echo "simulator-package: bad input ok: $(cat bad.err)"

# 4. the jsii API from the installed package
node -e '
  const { OutageSimulator } = require("cdk-multi-region-failover");
  const result = OutageSimulator.fromAssembly(process.argv[1]).run({ outage: "us-east-1" });
  const dns = result.flows.find((f) => f.id === "dns:www.example.com");
  if (!dns || dns.recoveredAtSeconds !== 51 || dns.toRegion !== "us-west-2") { console.error("simulator-package: FAILED: jsii API", JSON.stringify(result)); process.exit(1); }
  console.log("simulator-package: OutageSimulator.fromAssembly(dir).run({ outage }) ok");' "$ASSEMBLY"

echo "simulator-package: passed in $(took "$t0") s"
