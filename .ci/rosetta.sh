#!/usr/bin/env bash
# Rosetta gate: every TypeScript example in README.md must compile (jsii-rosetta extract --strict) against
# the compiled jsii assembly, and translate to Python, Java, C# and Go.
#
#   bash .ci/rosetta.sh            (needs `.jsii` and `lib/`: run after `npx projen compile`)
#
# jsii-rosetta reads the examples from the assembly (`.jsii` embeds README.md at compile time) and looks
# for fixtures in `<package dir>/rosetta/*.ts-fixture`. The repo keeps its fixtures in test/rosetta/
# instead (no extra top-level folder), so this script assembles a scratch package in
# node_modules/.cache/cdk-mrf-rosetta/ (inside the repo so aws-cdk-lib/constructs resolve from ./node_modules,
# and never packed by npm): package.json, .jsii, lib -> ./lib, rosetta/ <- test/rosetta/*.ts-fixture.
# Output: .jsii-rosetta/translations.md (every snippet in TypeScript, Python and Java; git-ignored) and the
# tablet .jsii-rosetta/tablet.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$ROOT/.jsii-rosetta"
PKG="$ROOT/node_modules/.cache/cdk-mrf-rosetta"

if [[ ! -f .jsii || ! -d lib ]]; then
  echo "rosetta gate: FAILED: no .jsii or lib/ (run 'npx projen compile' first)" >&2
  exit 1
fi

# The assembly embeds README.md as it was at compile time: a stale .jsii would check old examples.
node -e '
  const fs = require("fs");
  const asm = JSON.parse(fs.readFileSync(".jsii", "utf8"));
  const embedded = (asm.readme && asm.readme.markdown || "").trim();
  const current = fs.readFileSync("README.md", "utf8").trim();
  if (embedded !== current) {
    console.error("rosetta gate: FAILED: .jsii embeds a different README.md than the one on disk; run npx projen compile");
    process.exit(1);
  }'

rm -rf "$PKG" "$WORK"
mkdir -p "$PKG/rosetta" "$WORK"
cp package.json .jsii "$PKG/"
ln -s "$ROOT/lib" "$PKG/lib"
cp test/rosetta/*.ts-fixture "$PKG/rosetta/"

TS_BLOCKS="$(grep -cE '^[[:space:]]*```(ts|typescript)([[:space:]]|$)' README.md || true)"
echo "rosetta gate: README.md has $TS_BLOCKS TypeScript block(s); extracting with jsii-rosetta $(npx --no-install jsii-rosetta --version 2>/dev/null | tail -1) --strict"

set +e
npx --no-install jsii-rosetta extract --strict "$PKG/.jsii" >"$WORK/extract.log" 2>&1
rc=$?
set -e
grep -v -e '^!!' -e '^[[:space:]]*$' "$WORK/extract.log" || true
if [[ $rc -ne 0 ]]; then
  echo "rosetta gate: FAILED (exit $rc): a README example does not compile (errors above; fixture: test/rosetta/default.ts-fixture)" >&2
  exit 1
fi
cp "$PKG/.jsii.tabl.json" "$WORK/tablet.json"

# Evidence: every snippet with its Python and Java translation; fail if one is missing or empty.
node - "$WORK/tablet.json" "$WORK/translations.md" "$TS_BLOCKS" <<'JS'
const fs = require('fs');
const [tabletFile, outFile, tsBlocks] = process.argv.slice(2);
const tablet = JSON.parse(fs.readFileSync(tabletFile, 'utf8'));
const snippets = Object.values(tablet.snippets);
const out = [];
let problems = 0;
let readmeSnippets = 0;
for (const s of snippets) {
  const where = s.location ? `${s.location.api.api}${s.location.api.fqn ? ' ' + s.location.api.fqn : ''}` : '?';
  if (s.location && s.location.api.api === 'moduleReadme') readmeSnippets++;
  out.push(`## ${where} (line ${s.location?.field?.line ?? '?'}), compiled: ${s.didCompile}`);
  for (const [lang, key] of [['typescript', '$'], ['python', 'python'], ['java', 'java']]) {
    const t = s.translations[key];
    if (!t || !t.source.trim()) {
      problems++;
      out.push(`### ${lang}: MISSING`);
      continue;
    }
    out.push(`### ${lang}`, '```' + lang, t.source.trimEnd(), '```');
  }
  if (s.didCompile !== true) problems++;
}
fs.writeFileSync(outFile, out.join('\n') + '\n');
console.log(out.join('\n'));
console.log(`\nrosetta gate: ${snippets.length} snippet(s) (${readmeSnippets} from README.md, which has ${tsBlocks} TypeScript block(s)); translations in ${outFile}`);
if (readmeSnippets !== Number(tsBlocks)) {
  console.error(`rosetta gate: FAILED: ${tsBlocks} TypeScript block(s) in README.md but ${readmeSnippets} extracted`);
  process.exit(1);
}
if (problems) {
  console.error(`rosetta gate: FAILED: ${problems} snippet(s) did not compile or lack a translation`);
  process.exit(1);
}
console.log('rosetta gate: passed');
JS

# The README's Python and Java examples must be rosetta's translations of the TypeScript example before them.
if [[ "${ROSETTA_SKIP_TRANSLATION_CHECK:-}" != "1" ]]; then
  node "$ROOT/.ci/translated-examples.js" check
fi
