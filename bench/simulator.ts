/**
 * `npx projen bench:simulator`: how fast the outage simulator (issue 12) runs. Not a timed test: it prints the
 * figures and the budgets (the example app under 2 s wall, 50 stacks / 2,000 resources under 5 s) and writes
 * bench/simulator-results.json.
 *
 * - The example app's assembly (./cdk.out, from `npx projen main`; or `--assembly <dir>`): wall time of the command
 *   `cdk-multi-region-failover simulate <dir> --outage <region> --json` as a fresh Node.js process (the bin bundled
 *   with esbuild like its compiled form, packages external), for us-east-1 and us-west-2, median of 3; and the
 *   in-process time of reading the assembly and simulating.
 * - Generated assemblies of 10, 25, 50 and 100 stacks of 40 resources each (Route 53 failover records and health
 *   checks, CloudFront distributions with origin groups, Lambda functions with function URLs and roles), spread over
 *   five regions: in-process read and simulate times (median of 3), flows and findings; and the process wall time
 *   for 50 stacks.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as esbuild from 'esbuild';
import { readAssembly } from '../src/simulator/assembly';
import { simulateStacks } from '../src/simulator/simulate';
import { FixtureStack, writeAssembly } from '../test/simulator/fixtures';

const ROOT = path.resolve(__dirname, '..');
const TMP = path.join(__dirname, 'simulator.tmp');
const RUNS = 3;
const STACK_COUNTS = [10, 25, 50, 100];
const RESOURCES_PER_STACK = 40;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'];
const EXAMPLE_BUDGET_MS = 2000;
const GENERATED_BUDGET_MS = 5000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(ms: number): number {
  return Math.round(ms);
}

/** The bin, bundled like its compiled form (lib/simulator/bin.js): dependencies stay external. */
function bundleBin(): string {
  const outfile = path.join(TMP, 'cdk-multi-region-failover.js');
  esbuild.buildSync({ entryPoints: [path.join(ROOT, 'src/simulator/bin.ts')], bundle: true, platform: 'node', packages: 'external', outfile, logLevel: 'error' });
  return outfile;
}

/** Wall time (ms) of one `simulate … --json` process; fails on a non-zero exit or output that is not JSON. */
function processWall(bin: string, dir: string, outage: string): { ms: number; flows: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [bin, 'simulate', dir, '--outage', outage, '--json'], {
    encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`simulate ${dir} --outage ${outage} exited ${r.status}: ${r.stderr.trim()}`);
  return { ms, flows: JSON.parse(r.stdout).flows.length };
}

/** In-process read + simulate times (ms), median of RUNS. */
function inProcess(dir: string, outage: string) {
  const read: number[] = [];
  const simulate: number[] = [];
  let flows = 0;
  let findings = 0;
  let resources = 0;
  let stacks = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const input = readAssembly(dir);
    const t1 = performance.now();
    const result = simulateStacks(input, { outage });
    const t2 = performance.now();
    read.push(t1 - t0);
    simulate.push(t2 - t1);
    flows = result.flows.length;
    findings = result.findings.length;
    stacks = input.length;
    resources = input.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
  }
  return { stacks, resources, readMs: round(median(read)), simulateMs: round(median(simulate)), flows, findings };
}

/**
 * Stack `i` of a generated assembly (40 resources, in REGIONS[i % 5]): 6 Lambda functions with roles and function URLs
 * (18), a failover CNAME pair per function pair with a health check per record (3 × (2 records + 2 checks) = 12),
 * a CloudFront distribution whose origin group fails over from this stack's function URL to the next region's, its
 * alias record and health check (3), and SNS topics for the rest (7).
 */
function generatedStack(i: number): FixtureStack {
  const region = REGIONS[i % REGIONS.length];
  const other = REGIONS[(i + 1) % REGIONS.length];
  const resources: { [id: string]: any } = {};
  const urlHost = (n: number) => ({ 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [`Url${n}`, 'FunctionUrl'] }] }] });
  for (let n = 0; n < 6; n++) {
    resources[`Role${n}`] = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] } } };
    resources[`Fn${n}`] = { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': [`Role${n}`, 'Arn'] }, Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 200 })' } } };
    resources[`Url${n}`] = { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [`Fn${n}`, 'Arn'] } } };
  }
  for (let p = 0; p < 3; p++) {
    const name = `svc${p}.app${i}.example.com.`;
    const remote = `fn${p}-app${i}.lambda-url.${other}.on.aws`;
    resources[`Check${p}Primary`] = healthCheck(urlHost(p * 2));
    resources[`Check${p}Secondary`] = healthCheck(remote);
    resources[`Record${p}Primary`] = cname(name, 'PRIMARY', urlHost(p * 2), `Check${p}Primary`);
    resources[`Record${p}Secondary`] = cname(name, 'SECONDARY', remote, `Check${p}Secondary`);
  }
  resources.Distribution = {
    Type: 'AWS::CloudFront::Distribution',
    Properties: {
      DistributionConfig: {
        Enabled: true,
        Aliases: [`www.app${i}.example.com`],
        Origins: [
          { Id: 'primary', DomainName: urlHost(1), CustomOriginConfig: { OriginProtocolPolicy: 'https-only' }, ConnectionAttempts: 3, ConnectionTimeout: 10 },
          { Id: 'secondary', DomainName: `fn1-app${i}.lambda-url.${other}.on.aws`, CustomOriginConfig: { OriginProtocolPolicy: 'https-only' } },
        ],
        OriginGroups: {
          Quantity: 1,
          Items: [{
            Id: 'group',
            FailoverCriteria: { StatusCodes: { Quantity: 4, Items: [500, 502, 503, 504] } },
            Members: { Quantity: 2, Items: [{ OriginId: 'primary' }, { OriginId: 'secondary' }] },
          }],
        },
        DefaultCacheBehavior: { TargetOriginId: 'group', ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
      },
    },
  };
  resources.SiteAlias = {
    Type: 'AWS::Route53::RecordSet',
    Properties: {
      HostedZoneId: 'Z0EXAMPLE0000000000',
      Name: `www.app${i}.example.com.`,
      Type: 'A',
      AliasTarget: { DNSName: { 'Fn::GetAtt': ['Distribution', 'DomainName'] }, HostedZoneId: 'Z2FDTNDATAQYW2', EvaluateTargetHealth: false },
    },
  };
  resources.SiteCheck = healthCheck({ 'Fn::GetAtt': ['Distribution', 'DomainName'] });
  for (let n = 0; Object.keys(resources).length < RESOURCES_PER_STACK; n++) resources[`Topic${n}`] = { Type: 'AWS::SNS::Topic' };
  return { name: `app${i}-${region}`, region, resources };
}

function healthCheck(host: any) {
  return {
    Type: 'AWS::Route53::HealthCheck',
    Properties: { HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: host, Port: 443, ResourcePath: '/health', RequestInterval: 30, FailureThreshold: 3, EnableSNI: true } },
  };
}

function cname(name: string, failover: string, host: any, check: string) {
  return {
    Type: 'AWS::Route53::RecordSet',
    Properties: {
      HostedZoneId: 'Z0EXAMPLE0000000000',
      Name: name,
      Type: 'CNAME',
      TTL: '60',
      Failover: failover,
      SetIdentifier: failover.toLowerCase(),
      ResourceRecords: [host],
      HealthCheckId: { Ref: check },
    },
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const at = args.indexOf('--assembly');
  const example = path.resolve(at >= 0 ? args[at + 1] : path.join(ROOT, 'cdk.out'));
  fs.rmSync(TMP, { recursive: true, force: true });
  fs.mkdirSync(TMP, { recursive: true });
  const bin = bundleBin();
  const machine = { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length };

  const exampleRows = fs.existsSync(path.join(example, 'manifest.json'))
    ? ['us-east-1', 'us-west-2'].map((outage) => {
      const walls = Array.from({ length: RUNS }, () => processWall(bin, example, outage));
      return { outage, wallMs: round(median(walls.map((w) => w.ms))), ...inProcess(example, outage) };
    })
    : [];
  if (exampleRows.length === 0) console.error(`bench:simulator: no assembly in ${example}: run \`npx projen main\` first (or pass --assembly <dir>)`);

  const scaling = STACK_COUNTS.map((count) => {
    const dir = writeAssembly(path.join(TMP, `stacks-${count}`), Array.from({ length: count }, (_, i) => generatedStack(i)));
    const row = inProcess(dir, 'us-east-1');
    const wallMs = count === 50 ? round(median(Array.from({ length: RUNS }, () => processWall(bin, dir, 'us-east-1').ms))) : undefined;
    return { ...row, ...(wallMs !== undefined ? { wallMs } : {}) };
  });

  const results = { machine, budgets: { exampleWallMs: EXAMPLE_BUDGET_MS, generated50WallMs: GENERATED_BUDGET_MS }, example: exampleRows, scaling };
  fs.writeFileSync(path.join(__dirname, 'simulator-results.json'), JSON.stringify(results, undefined, 2) + '\n');
  fs.rmSync(TMP, { recursive: true, force: true });

  console.log(`Outage simulator benchmark (node ${machine.node}, ${machine.cores} × ${machine.cpu}; median of ${RUNS})\n`);
  if (exampleRows.length) {
    console.log('| Example app (cdk.out) | Process wall | Read | Simulate | Stacks | Resources | Flows | Findings |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of exampleRows) {
      console.log(`| --outage ${r.outage} | ${r.wallMs} ms ${verdict(r.wallMs, EXAMPLE_BUDGET_MS)} | ${r.readMs} ms | ${r.simulateMs} ms | ${r.stacks} | ${r.resources} | ${r.flows} | ${r.findings} |`);
    }
    console.log('');
  }
  console.log('| Generated stacks | Resources | Read | Simulate | Read + simulate | Process wall | Flows | Findings |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of scaling) {
    const wall = 'wallMs' in r ? `${r.wallMs} ms ${verdict(r.wallMs as number, GENERATED_BUDGET_MS)}` : '';
    console.log(`| ${r.stacks} | ${r.resources} | ${r.readMs} ms | ${r.simulateMs} ms | ${r.readMs + r.simulateMs} ms | ${wall} | ${r.flows} | ${r.findings} |`);
  }
}

function verdict(ms: number, budget: number): string {
  return ms <= budget ? `(budget ${budget / 1000} s: ok)` : `(OVER the ${budget / 1000} s budget)`;
}

main();
