#!/usr/bin/env bash
# `npx projen gate:cdk-cli`: the real CDK CLI synthesizes the example app from cdk.json (`npx cdk synth`, no AWS
# credentials) and must produce the same cloud assembly as `npx projen main`: the same stacks (artifact ids, stack
# names, environments, dependencies), identical templates and asset manifests, the same staged assets
# (.ci/compare-assemblies.js; only annotation stack traces, which name the entry point, are ignored).
#
# The CLI adds resource metadata that a plain `app.synth()` does not: `aws:cdk:path` and `aws:asset:*` Metadata and
# the AWS::CDK::Metadata resource (version reporting). They are turned off for this comparison only
# (--no-path-metadata --no-asset-metadata --no-version-reporting, which also turns off the CLI's telemetry);
# everything else runs as a user's `cdk synth` does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

now() { date +%s.%N; }
took() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cdk-cli.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# No credentials and no default environment: the example app names its account and regions itself.
unset CDK_DEFAULT_ACCOUNT CDK_DEFAULT_REGION AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION \
  AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export AWS_EC2_METADATA_DISABLED=true CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true
# jsii repeats Node 20's end-of-life banner; harmless.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-$(node -p 'process.versions.node.split(".")[0]')}"

t0="$(now)"
if ! CDK_OUTDIR="$tmp/main" npx projen main >"$tmp/main.log" 2>&1; then
  cat "$tmp/main.log" >&2
  echo "cdk-cli: FAILED: npx projen main" >&2
  exit 1
fi
echo "cdk-cli: npx projen main -> $tmp/main in $(took "$t0") s"

t0="$(now)"
if ! "$ROOT/node_modules/.bin/cdk" synth --all -q -o "$tmp/cli" --no-notices \
  --no-path-metadata --no-asset-metadata --no-version-reporting >"$tmp/cli.log" 2>&1; then
  cat "$tmp/cli.log" >&2
  echo "cdk-cli: FAILED: cdk synth --all (app: $(node -p "require('./cdk.json').app"))" >&2
  exit 1
fi
echo "cdk-cli: $("$ROOT/node_modules/.bin/cdk" --version 2>/dev/null | head -1 | cut -d' ' -f1) cdk synth --all -> $tmp/cli in $(took "$t0") s"

node .ci/compare-assemblies.js "$tmp/main" "$tmp/cli"
echo "cdk-cli: passed"
