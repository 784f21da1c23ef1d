#!/usr/bin/env bash
# Integration tests (integ/integ.*.ts, @aws-cdk/integ-tests-alpha) run by @aws-cdk/integ-runner.
#
#   bash .ci/integ.sh verify [TEST...]   offline: synthesize each test and compare it with its committed
#                                            integ/<test>.snapshot/ (fails if a snapshot is missing or differs).
#                                            No credentials, no network, nothing deployed. This is the CI gate.
#   bash .ci/integ.sh update [TEST...]   rewrite the snapshots of changed/new tests WITHOUT deploying
#                                            (integ-runner --update-on-failed --dry-run). Review and commit them.
#   bash .ci/integ.sh deploy [TEST...]   REAL AWS: deploy each changed test, run its assertions, destroy it,
#                                            then write its snapshot (--update-on-failed). Needs credentials.
#
# Notes (integ-runner 2.197.10):
# - Tests run with ts-node (transpile only, tsconfig.dev.json); no compile step needed.
# - Without AWS_REGION the CDK toolkit inside integ-runner asks the EC2 instance metadata service
#   (169.254.169.254) for a region and credentials, which costs ~8 s of time-outs per test on a machine
#   that is not EC2. verify/update set a region and AWS_EC2_METADATA_DISABLED=true so they open no
#   network connection at all.
# - Snapshot asset directories (integ/*.snapshot/asset.*/) are git-ignored; verify compares templates and
#   manifests and does not need them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MODE="${1:-}"
shift || true
case "$MODE" in
  verify | update | deploy) ;;
  *)
    echo "usage: bash .ci/integ.sh verify|update|deploy [TEST...]" >&2
    exit 64
    ;;
esac

shopt -s nullglob
TESTS=()
for f in integ/integ.*.ts; do
  [[ "$f" == *.d.ts ]] || TESTS+=("$f")
done
shopt -u nullglob
if [[ ${#TESTS[@]} -eq 0 ]]; then
  echo "integ gate: FAILED: no integ tests found (expected integ/integ.*.ts)" >&2
  exit 1
fi

echo "integ gate ($MODE): ${#TESTS[@]} test(s): ${TESTS[*]}"
export TS_NODE_PROJECT="$ROOT/tsconfig.dev.json"
RUNNER=(
  npx --no-install integ-runner
  --directory integ
  --language typescript
  --app "node -r ts-node/register/transpile-only {filePath}"
  --max-workers "${INTEG_MAX_WORKERS:-2}"
)

# integ-runner 2.197.10 bug: integ-tests-alpha records a test case's stacks by construct path
# ("AuroraGlobalInteg/us-east-1"), but the snapshot diff picks stacks by artifact id
# ("AuroraGlobalInteguseast1821B3B69"). They are equal only for stacks created directly under the App, so
# every stack our multi-region constructs create (nested in the construct) was silently NOT compared:
# "UNCHANGED" whatever changed. Patch the one line so a stack is also picked by its display name (= path).
# Idempotent; fails loudly if the line is not found (a new integ-runner version: re-check the bug).
patch_integ_runner() {
  local worker="$ROOT/node_modules/@aws-cdk/integ-runner/lib/workers/extract/index.js"
  local marker="/* cdk-multi-region-failover: pick by displayName */"
  if grep -qF "$marker" "$worker"; then return 0; fi
  if ! grep -qF "if (pickStacks.includes(stackName)) {" "$worker"; then
    echo "integ gate: FAILED: cannot find integ-runner's stack picking line in $worker; re-check the stack-matching bug for this version" >&2
    exit 1
  fi
  sed -i "s|if (pickStacks.includes(stackName)) {|if (pickStacks.includes(stackName) \|\| pickStacks.includes(assembly.manifest.artifacts?.[stackName]?.displayName)) { $marker|" "$worker"
  grep -qF "$marker" "$worker" || { echo "integ gate: FAILED: could not patch $worker" >&2; exit 1; }
  echo "integ: patched integ-runner to compare stacks nested in constructs (see .ci/integ.sh)"
}

# Proves the gate can fail on a multi-region test: tamper with a copy of a snapshot template of a stack
# nested in a construct, verify must report it.
self_test() {
  local t="integ/integ.multi-region-api.ts"
  [[ -d "$t.snapshot" ]] || return 0
  local tmp; tmp="$(mktemp -d)"
  cp -r "$t.snapshot" "$tmp/orig"
  local tpl; tpl="$(ls "$t.snapshot"/*useast1*.template.json | head -1)"
  node -e '
    const fs = require("fs"); const f = process.argv[1]; const t = JSON.parse(fs.readFileSync(f, "utf8"));
    t.Resources.SelfTestTamper = { Type: "AWS::SNS::Topic", Properties: {} };
    fs.writeFileSync(f, JSON.stringify(t, null, 1));' "$tpl"
  local rc=0
  "${RUNNER[@]}" --parallel-regions "$AWS_REGION" "$t" > "$tmp/out.log" 2>&1 || rc=$?
  rm -rf "$t.snapshot" && cp -r "$tmp/orig" "$t.snapshot"
  if [[ $rc -eq 0 ]] || ! grep -q "SelfTestTamper" "$tmp/out.log"; then
    cat "$tmp/out.log" >&2
    echo "integ gate: FAILED self-test: a tampered snapshot of a nested stack was NOT detected" >&2
    rm -rf "$tmp"; exit 1
  fi
  rm -rf "$tmp"
  echo "integ gate: self-test ok (a tampered nested-stack snapshot is detected)"
}

offline_env() {
  export AWS_REGION="${AWS_REGION:-us-east-1}"
  export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
  export AWS_EC2_METADATA_DISABLED=true
}

case "$MODE" in
  verify)
    offline_env
    patch_integ_runner
    self_test
    missing=()
    for t in "${TESTS[@]}"; do
      [[ -d "$t.snapshot" ]] || missing+=("$t")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
      echo "integ gate: FAILED: no committed snapshot for: ${missing[*]}" >&2
      echo "  write it with 'npx projen integ:update' (no deploy) or 'npx projen integ:deploy' (real AWS)" >&2
      exit 1
    fi
    if ! "${RUNNER[@]}" --parallel-regions "$AWS_REGION" "$@"; then
      echo "integ gate: FAILED: a snapshot is missing or differs from what the test synthesizes (diff above)." >&2
      echo "  If the change is intended: 'npx projen integ:update' (no deploy), review, commit." >&2
      exit 1
    fi
    echo "integ gate: all ${#TESTS[@]} snapshot(s) match"
    ;;
  update)
    offline_env
    patch_integ_runner
    echo "integ: writing snapshots with --dry-run: NOTHING is deployed, the assertions are NOT run against AWS."
    "${RUNNER[@]}" --update-on-failed --dry-run --no-update-workflow \
      --parallel-regions "$AWS_REGION" "$@"
    echo "integ: snapshots written under integ/*.snapshot/ — review the diff and commit it."
    ;;
  deploy)
    cat >&2 <<'EOF'
!!! integ deploy: this DEPLOYS every changed integ test to a REAL AWS account (the credentials in your
!!! environment), runs its assertions (failover drills), then destroys the stacks. It costs money
!!! (Route 53 health checks, ARC clusters by the hour, Aurora...). Press Ctrl-C within 10 s to abort.
EOF
    if [[ -t 0 ]]; then sleep 10; fi
    patch_integ_runner
    "${RUNNER[@]}" --update-on-failed "$@"
    ;;
esac
