#!/usr/bin/env bash
# Integration tests (integ/integ.*.ts, @aws-cdk/integ-tests-alpha) run by @aws-cdk/integ-runner.
#
#   bash scripts/integ.sh verify [TEST...]   offline: synthesize each test and compare it with its committed
#                                            integ/<test>.snapshot/ (fails if a snapshot is missing or differs).
#                                            No credentials, no network, nothing deployed. This is the CI gate.
#   bash scripts/integ.sh update [TEST...]   rewrite the snapshots of changed/new tests WITHOUT deploying
#                                            (integ-runner --update-on-failed --dry-run). Review and commit them.
#   bash scripts/integ.sh deploy [TEST...]   REAL AWS: deploy each changed test, run its assertions, destroy it,
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
    echo "usage: bash scripts/integ.sh verify|update|deploy [TEST...]" >&2
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

offline_env() {
  export AWS_REGION="${AWS_REGION:-us-east-1}"
  export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
  export AWS_EC2_METADATA_DISABLED=true
}

case "$MODE" in
  verify)
    offline_env
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
    "${RUNNER[@]}" --update-on-failed "$@"
    ;;
esac
