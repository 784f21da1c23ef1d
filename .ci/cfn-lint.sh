#!/usr/bin/env bash
# cfn-lint gate: lint every CloudFormation template under DIR (recursively, so Stage assemblies in
# cdk.out/assembly-*/ are included) with a pinned cfn-lint, offline.
#
#   bash .ci/cfn-lint.sh cdk.out
#
# - Creates the venv .venv-cfn-lint/ at the repo root on first use (or when the pinned version changed).
# - Self-test first: lints test/gates/fixtures/broken.template.json and fails loudly unless cfn-lint
#   reports an error (E3002) there, so a silently broken linter cannot make the gate pass.
# - Each template is linted in its stack's own region (read from the assembly's manifest.json).
# - Fails on any cfn-lint *error* (exit bit 2) or tool failure (exit 1 / unparsable output); warnings (bit 4)
#   and informational findings (bit 8) are printed but do not fail.
# - Fails when DIR holds no *.template.json. *.assets.json and asset.* directories are ignored.
set -euo pipefail

# Pinned exactly: `pip index versions cfn-lint` (2026-11-22) -> 1.58.0, installs from PyPI here.
# cfn-lint 1.x exit code is a bitmask: 2 error, 4 warning, 8 informational (1 = usage/tool failure).
CFN_LINT_VERSION="1.58.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CFN_LINT_VENV:-$ROOT/.venv-cfn-lint}"
FIXTURE="$ROOT/test/gates/fixtures/broken.template.json"

if [[ $# -ne 1 ]]; then
  echo "usage: bash .ci/cfn-lint.sh DIR   (e.g. cdk.out)" >&2
  exit 64
fi
DIR="$1"
if [[ ! -d "$DIR" ]]; then
  echo "cfn-lint gate: FAILED: directory '$DIR' does not exist (synthesize first: npx projen main)" >&2
  exit 1
fi

if ! "$VENV/bin/cfn-lint" --version 2>/dev/null | grep -qx "cfn-lint $CFN_LINT_VERSION"; then
  echo "cfn-lint gate: creating $VENV with cfn-lint==$CFN_LINT_VERSION (PyPI)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
fi
echo "cfn-lint gate: $("$VENV/bin/cfn-lint" --version)"

"$VENV/bin/python" - "$VENV/bin/cfn-lint" "$FIXTURE" "$DIR" <<'PY'
import json
import os
import subprocess
import sys
from collections import defaultdict

cfn_lint, fixture, root_dir = sys.argv[1:4]
DEFAULT_REGION = "us-east-1"


def run_lint(templates, region):
    """Run cfn-lint once on `templates`; return (exit code, findings)."""
    cmd = [cfn_lint, "--format", "json", "--regions", region, "--", *templates]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    try:
        findings = json.loads(proc.stdout) if proc.stdout.strip() else []
    except json.JSONDecodeError:
        print(proc.stdout)
        print(proc.stderr, file=sys.stderr)
        sys.exit(f"cfn-lint gate: FAILED: cfn-lint output is not JSON (exit {proc.returncode})")
    if proc.returncode & 1 or proc.returncode >= 16:
        print(proc.stderr, file=sys.stderr)
        sys.exit(f"cfn-lint gate: FAILED: cfn-lint itself failed (exit {proc.returncode})")
    return proc.returncode, findings


# 1. Self-test: the gate must be able to fail.
rc, findings = run_lint([fixture], DEFAULT_REGION)
rules = sorted({f["Rule"]["Id"] for f in findings if f["Level"] == "Error"})
if not (rc & 2) or "E3002" not in rules:
    sys.exit(
        "cfn-lint gate: SELF-TEST FAILED: cfn-lint did not report error E3002 on the deliberately broken "
        f"{os.path.relpath(fixture)} (exit {rc}, error rules {rules}). The linter is not working; refusing to pass."
    )
print(f"cfn-lint gate: self-test ok: broken fixture rejected (exit {rc}, {', '.join(rules)})")

# 2. Collect templates and their regions.
templates = []
for dirpath, dirnames, filenames in os.walk(root_dir):
    dirnames[:] = sorted(d for d in dirnames if not d.startswith("asset."))
    templates += [os.path.normpath(os.path.join(dirpath, f)) for f in sorted(filenames) if f.endswith(".template.json")]
if not templates:
    sys.exit(f"cfn-lint gate: FAILED: no *.template.json under {root_dir} (did the app synthesize?)")

region_of = {}
for dirpath, dirnames, filenames in os.walk(root_dir):
    dirnames[:] = [d for d in dirnames if not d.startswith("asset.")]
    if "manifest.json" not in filenames:
        continue
    with open(os.path.join(dirpath, "manifest.json")) as fh:
        manifest = json.load(fh)
    for artifact in manifest.get("artifacts", {}).values():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template_file = artifact.get("properties", {}).get("templateFile")
        region = (artifact.get("environment") or "").rsplit("/", 1)[-1]
        if template_file and region and region != "unknown-region":
            region_of[os.path.normpath(os.path.join(dirpath, template_file))] = region

by_region = defaultdict(list)
for t in templates:
    by_region[region_of.get(t, DEFAULT_REGION)].append(t)

# 3. Lint, one cfn-lint run per region.
per_file = {t: [] for t in templates}
for region, group in sorted(by_region.items()):
    _, findings = run_lint(group, region)
    for f in findings:
        per_file.setdefault(os.path.normpath(f["Filename"]), []).append(f)

levels = ("Error", "Warning", "Informational")
totals = dict.fromkeys(levels, 0)
failed = []
print(f"\ncfn-lint gate: {len(templates)} template(s) under {root_dir}")
for t in templates:
    found = per_file[t]
    counts = {lvl: sum(1 for f in found if f["Level"] == lvl) for lvl in levels}
    for lvl in levels:
        totals[lvl] += counts[lvl]
    status = "FAIL" if counts["Error"] else "ok  "
    if counts["Error"]:
        failed.append(t)
    size = os.path.getsize(t)
    print(f"  {status} {t} [{region_of.get(t, DEFAULT_REGION)}, {size} bytes]: "
          f"{counts['Error']} error(s), {counts['Warning']} warning(s), {counts['Informational']} info")
    for f in sorted(found, key=lambda f: levels.index(f["Level"]) if f["Level"] in levels else 9):
        where = "/".join(str(p) for p in f["Location"]["Path"])
        print(f"       {f['Rule']['Id']} {f['Level']}: {f['Message']} ({where})")

print(f"\ncfn-lint gate: {totals['Error']} error(s), {totals['Warning']} warning(s), "
      f"{totals['Informational']} info in {len(templates)} template(s)")
if failed:
    sys.exit(f"cfn-lint gate: FAILED: errors in {len(failed)} template(s): {', '.join(failed)}")
print("cfn-lint gate: passed")
PY
