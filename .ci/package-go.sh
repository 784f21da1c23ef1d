#!/usr/bin/env bash
# `npx projen package:go`: jsii-pacmak's Go target writes the Go module into dist/go/cdkmultiregionfailover (what
# publib-golang publishes) and checks that it compiles: `go mod tidy` + `go build` against the versions its go.mod
# requires (aws-cdk-go at the aws-cdk-lib version this library is built with, ...), downloaded from GOPROXY.
#
# This project's own machines reach only a partial mirror of proxy.golang.org, which does not serve some of those
# versions (e.g. github.com/aws/aws-cdk-go/awscdk/v2 v2.245.0 answers "403 ... This module version is not
# available"). Only in that case, and never on GitHub Actions (where proxy.golang.org serves every version), the
# module is written with `--code-only` (the same files, without pacmak's compile check) and a warning says so;
# the Go consumer (`bash test/consumers/run.sh go`) then compiles and runs the module against versions the mirror has.
# Any other failure fails.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PACMAK="$ROOT/node_modules/.bin/jsii-pacmak"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

rm -rf dist/go
"$PACMAK" -v --target go --rosetta-unknown-snippets translate 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] && exit 0

# A version the proxy does not serve: ".../@v/<version>.zip: 403 Forbidden", a checksum lookup "... 404 Not Found".
missing="$(grep -oE 'reading https?://[^ ]+: (403 Forbidden|404 Not Found|410 Gone)' "$log" | sort -u)"
if [[ -n "${GITHUB_ACTIONS:-}" || -z "$missing" ]]; then
  echo "package:go: FAILED (jsii-pacmak --target go)" >&2
  exit 1
fi
cat >&2 <<MSG
package:go: WARNING: GOPROXY (${GOPROXY:-$(go env GOPROXY 2>/dev/null)}) does not serve a module version that dist/go's
go.mod requires, so jsii-pacmak cannot compile the module here:
$(sed 's/^/  /' <<<"$missing")
package:go: writing dist/go with --code-only (same files, no compile check); \`bash test/consumers/run.sh go\`
compiles and runs it. On GitHub Actions this fallback is off.
MSG
rm -rf dist/go
"$PACMAK" -v --target go --code-only --rosetta-unknown-snippets translate
