#!/usr/bin/env node
/**
 * usage: node .ci/compare-assemblies.js EXPECTED_CDK_OUT ACTUAL_CDK_OUT
 *
 * Fails unless two cloud assemblies hold the same stacks: the same artifact ids, stack names, environments and
 * dependencies, identical templates, asset manifests and staged asset files. The outage pictures the main job adds
 * (`outage-<region>.svg`) are not part of the synthesis and are skipped. Only the construct stack traces of
 * annotations (`trace`, which name the entry point: examples/main.ts vs examples/app.ts) are ignored.
 * Prints one line per stack: id, stack name, environment, template sha256.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const [expectedDir, actualDir] = process.argv.slice(2);
if (!expectedDir || !actualDir) {
  console.error('usage: node .ci/compare-assemblies.js EXPECTED_CDK_OUT ACTUAL_CDK_OUT');
  process.exit(2);
}

function files(root, dir = '') {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? files(root, rel) : [rel];
  }).filter((f) => !/^outage-[a-z0-9-]+\.svg$/.test(f)).sort(); // the main job's outage pictures are not synthesized
}

/** JSON without annotation stack traces, keys sorted, so equal content compares equal. */
function normalized(value) {
  if (Array.isArray(value)) return value.map(normalized);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().filter((k) => k !== 'trace').map((k) => [k, normalized(value[k])]));
  }
  return value;
}

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
const problems = [];

const expectedFiles = files(expectedDir);
const actualFiles = files(actualDir);
for (const f of expectedFiles.filter((x) => !actualFiles.includes(x))) problems.push(`missing in ${actualDir}: ${f}`);
for (const f of actualFiles.filter((x) => !expectedFiles.includes(x))) problems.push(`extra in ${actualDir}: ${f}`);

for (const f of expectedFiles.filter((x) => actualFiles.includes(x))) {
  const a = fs.readFileSync(path.join(expectedDir, f));
  const b = fs.readFileSync(path.join(actualDir, f));
  const same = f.endsWith('.json')
    ? JSON.stringify(normalized(JSON.parse(a.toString('utf8')))) === JSON.stringify(normalized(JSON.parse(b.toString('utf8'))))
    : a.equals(b);
  if (!same) problems.push(`differs: ${f}`);
}

const manifest = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const stacks = (m) => Object.entries(m.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack');
const expectedStacks = stacks(manifest(expectedDir));
const actualStacks = new Map(stacks(manifest(actualDir)));
if (expectedStacks.length === 0) problems.push(`no stacks in ${expectedDir}/manifest.json`);

for (const [id, artifact] of expectedStacks) {
  const other = actualStacks.get(id);
  const name = artifact.properties?.stackName ?? id;
  const template = fs.readFileSync(path.join(expectedDir, artifact.properties.templateFile));
  console.log(`  ${id.padEnd(34)} ${name.padEnd(38)} ${artifact.environment.padEnd(30)} ${sha256(template).slice(0, 16)}`);
  if (!other) continue; // reported as missing files above
  for (const [what, a, b] of [
    ['stack name', name, other.properties?.stackName ?? id],
    ['environment', artifact.environment, other.environment],
    ['dependencies', JSON.stringify([...(artifact.dependencies ?? [])].sort()), JSON.stringify([...(other.dependencies ?? [])].sort())],
  ]) {
    if (a !== b) problems.push(`${id}: ${what} ${a} != ${b}`);
  }
}

if (problems.length > 0) {
  console.error(`compare-assemblies: ${problems.length} difference(s) between ${expectedDir} and ${actualDir}:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`compare-assemblies: same ${expectedStacks.length} stacks, ${expectedFiles.length} identical files (templates, asset manifests, staged assets)`);
