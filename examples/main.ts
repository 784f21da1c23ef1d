/**
 * The README's main job: synthesize examples/app.ts into ./cdk.out (no AWS credentials) and print
 * the stacks, their regions and each construct's recovery estimate, read back from the written assembly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { buildApp, estimatedConstructs } from './app';
import { RecoveryModel } from '../src';
import { main as simulate } from '../src/simulator/cli';

const outdir = path.resolve(process.env.CDK_OUTDIR ?? 'cdk.out');
fs.rmSync(outdir, { recursive: true, force: true });
const app = buildApp(outdir);
const assembly = app.synth();

// Read what was written, not what was built.
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
const rows: string[][] = [];
for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
  if (artifact.type !== 'aws:cloudformation:stack') continue;
  const file = path.join(outdir, artifact.properties.templateFile);
  const template = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment) ?? [];
  const resources = String(Object.keys(template.Resources ?? {}).length);
  rows.push([name, artifact.displayName ?? name, region, account, resources, String(fs.statSync(file).size)]);
}
if (rows.length !== assembly.stacks.length) {
  throw new Error(`cdk.out holds ${rows.length} stacks, the app built ${assembly.stacks.length}`);
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

console.log(`\nSynthesized ${rows.length} stacks into ${path.relative(process.cwd(), outdir) || '.'}/\n`);
console.log(table(['stack', 'construct path', 'region', 'account', 'resources', 'template bytes'], rows));
const fmt = (d?: Duration) => (d ? RecoveryModel.format(d) : '-');
const estimates = estimatedConstructs(app).map(({ path: p, type, recoveryEstimate: e }) => [
  p, type,
  e.rtoBounded ? fmt(e.rto) : 'unbounded', e.rtoBounded ? fmt(e.typicalRto) : '-',
  e.rpoBounded ? fmt(e.rpo) : 'unbounded', fmt(e.typicalRpo),
  fmt(e.perRequestPenalty),
]);
console.log('\nRecovery estimates (budget = worst case under the stated assumptions; typical beside it)\n');
console.log(table(['construct', 'type', 'RTO budget', 'RTO typical', 'RPO bound', 'RPO typical', 'per-request penalty'], estimates));
for (const c of estimatedConstructs(app)) {
  console.log(`- ${c.path}: ${c.recoveryEstimate.explanation}`);
}

// Game day without an account: the outage simulator on the assembly just written, through the package's own
// command (`cdk-multi-region-failover simulate`), once per region of the example app; pictures in cdk.out/.
for (const region of ['us-east-1', 'us-west-2']) {
  console.log(`\nOutage simulation: ${region} goes down (cdk-multi-region-failover simulate ${path.relative(process.cwd(), outdir) || '.'} --outage ${region})\n`);
  const status = simulate(['simulate', outdir, '--outage', region, '--svg', path.join(outdir, `outage-${region}.svg`)]);
  if (status !== 0) {
    throw new Error(`the outage simulator exited ${status} for ${region}`);
  }
}
