/**
 * `npx projen bench`: synth-time and size benchmark (not part of the tests).
 *
 * - the example app (examples/app.ts `buildApp`): one cold run, then the median of 5 runs of build + synth;
 * - template bytes of every stack the example app synthesizes (Stage assemblies included);
 * - each scenario in bench/scenarios/*.ts (`export const name`, `export function build(app, regions)`):
 *   median of 3 build + synth times for 2, 3, 4 and 6 regions, stacks and template bytes; a scenario
 *   that throws gets its error in the row and the benchmark goes on;
 * - the size of every bundled Lambda handler, assets/<construct>/<handler>/index.js (raw and gzip).
 *
 * Writes bench/results.json and prints Markdown tables (the README's benchmark section).
 * Numbers depend on the machine: results.json records node, CPU and core count.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as zlib from 'zlib';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { buildApp } from '../examples/app';

const ROOT = path.resolve(__dirname, '..');
const RUNS = 5;
const SCENARIO_RUNS = 3;
const REGION_COUNTS = [2, 3, 4, 6];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'];

interface StackSize {
  readonly stack: string;
  readonly region: string;
  readonly resources: number;
  readonly templateBytes: number;
}

interface ScenarioRow {
  readonly scenario: string;
  readonly regions: number;
  readonly medianMs?: number;
  readonly stacks?: number;
  readonly templateBytes?: number;
  readonly error?: string;
}

interface HandlerSize {
  readonly handler: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Runs `build` into a fresh temporary outdir, synthesizes, and returns the time and the assembly's stacks. */
function timedSynth(build: (outdir: string) => App): { ms: number; stacks: StackSize[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mrf-bench-'));
  try {
    const start = performance.now();
    const assembly = build(outdir).synth();
    const ms = performance.now() - start;
    return { ms, stacks: stackSizes(assembly) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function stackSizes(assembly: cxapi.CloudAssembly): StackSize[] {
  return assembly.stacksRecursively.map((s) => ({
    stack: s.hierarchicalId,
    region: s.environment.region,
    resources: Object.keys(s.template.Resources ?? {}).length,
    templateBytes: fs.statSync(s.templateFullPath).size,
  }));
}

function benchExample(): { coldMs: number; runsMs: number[]; medianMs: number; stacks: StackSize[] } {
  const cold = timedSynth(buildApp);
  const runsMs: number[] = [];
  let stacks = cold.stacks;
  for (let i = 0; i < RUNS; i++) {
    const run = timedSynth(buildApp);
    runsMs.push(round(run.ms));
    stacks = run.stacks;
  }
  return { coldMs: round(cold.ms), runsMs, medianMs: round(median(runsMs)), stacks };
}

function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0].slice(0, 200);
}

function benchScenarios(): ScenarioRow[] {
  const dir = path.join(__dirname, 'scenarios');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort() : [];
  const rows: ScenarioRow[] = [];
  for (const file of files) {
    let name = file.replace(/\.ts$/, '');
    let build: ((app: App, regions: string[]) => void) | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(dir, file));
      name = typeof mod.name === 'string' ? mod.name : name;
      if (typeof mod.build !== 'function') throw new Error(`${file} does not export build(app, regions)`);
      build = mod.build;
    } catch (err) {
      rows.push({ scenario: name, regions: 0, error: `load: ${errorMessage(err)}` });
      continue;
    }
    for (const count of REGION_COUNTS) {
      const regions = REGIONS.slice(0, count);
      try {
        const times: number[] = [];
        let stacks: StackSize[] = [];
        for (let i = 0; i < SCENARIO_RUNS; i++) {
          const run = timedSynth((outdir) => {
            const app = new App({ outdir });
            build!(app, regions);
            return app;
          });
          times.push(run.ms);
          stacks = run.stacks;
        }
        rows.push({
          scenario: name,
          regions: count,
          medianMs: round(median(times)),
          stacks: stacks.length,
          templateBytes: stacks.reduce((sum, s) => sum + s.templateBytes, 0),
        });
      } catch (err) {
        rows.push({ scenario: name, regions: count, error: errorMessage(err) });
      }
    }
  }
  return rows;
}

function handlerSizes(): HandlerSize[] {
  const assets = path.join(ROOT, 'assets');
  if (!fs.existsSync(assets)) return [];
  const found: HandlerSize[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name === 'index.js') {
        const content = fs.readFileSync(full);
        found.push({
          handler: path.relative(ROOT, full),
          bytes: content.length,
          gzipBytes: zlib.gzipSync(content, { level: 9 }).length,
        });
      }
    }
  };
  walk(assets);
  return found.sort((a, b) => a.handler.localeCompare(b.handler));
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n');
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function main(): void {
  const example = benchExample();
  const scenarios = benchScenarios();
  const handlers = handlerSizes();

  const results = {
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, platform: process.platform },
    example,
    scenarios,
    handlers,
  };
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(results, undefined, 2) + '\n');

  const out: string[] = [];
  out.push(`Example app (examples/app.ts): build + synth, median of ${RUNS} = **${example.medianMs} ms** ` +
    `(cold first run ${example.coldMs} ms; runs ${example.runsMs.join(', ')} ms; ${results.machine.cores} cores, node ${process.version})`, '');
  out.push(table(['Stack', 'Region', 'Resources', 'Template'],
    example.stacks.map((s) => [s.stack, s.region, s.resources, kb(s.templateBytes)])), '');
  out.push(`Synth time as regions grow (median of ${SCENARIO_RUNS}, build + synth):`, '');
  out.push(table(['Scenario', 'Regions', 'Synth', 'Stacks', 'Templates'],
    scenarios.map((r) => r.error
      ? [r.scenario, r.regions || '-', `error: ${r.error.replace(/\|/g, '\\|')}`, '-', '-']
      : [r.scenario, r.regions, `${r.medianMs} ms`, r.stacks ?? 0, kb(r.templateBytes ?? 0)])), '');
  out.push('Bundled Lambda handlers (esbuild, `@aws-sdk/*` external):', '');
  out.push(handlers.length
    ? table(['Handler', 'Size', 'gzip'], handlers.map((h) => [h.handler, kb(h.bytes), kb(h.gzipBytes)]))
    : '_no assets/**/index.js: run `npx projen bundle` first_');
  console.log(out.join('\n'));
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(__dirname, 'results.json'))}`);
}

main();
