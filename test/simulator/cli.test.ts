import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { dnsFailoverFlow, resultOf, tmpAssemblyDir, writeAssembly } from './fixtures';
import { CliIo, COMMAND, main, USAGE } from '../../src/simulator/cli';
import { formatReport } from '../../src/simulator/report';
import { SimulationResult } from '../../src/simulator/types';

/**
 * The CLI's plumbing, independent of the rules' modelling: the rule list is replaced by one probe rule. Each
 * `Test::Endpoint` resource is a flow whose region comes from placing its `Host` (so `--endpoint-region` shows), that
 * is impacted when that region is the outage, and that recovers at its `RecoversAt` (so `--horizon` shows).
 * A `Test::Bug` resource makes a second rule throw like a bug would. (The real rules run in the spawned-process test at
 * the end.)
 */
jest.mock('../../src/simulator/rules', () => {
  const context = jest.requireActual('../../src/simulator/context');
  return {
    RULES: [
      (ctx: any) => ctx.graph.ofType('Test::Endpoint').map((node: any) => {
        const host = ctx.graph.text(node.properties.Host, node.stack);
        const region = context.place(ctx, host, node.key).region;
        const impacted = context.isDown(ctx, region);
        return {
          id: `static:${node.key}`,
          kind: 'static',
          name: host.text,
          impacted,
          fromRegion: region,
          toRegion: impacted ? node.properties.Secondary : undefined,
          recoveredAtSeconds: impacted ? node.properties.RecoversAt : undefined,
          typicalSeconds: impacted ? node.properties.RecoversAt : undefined,
          blockedBy: [],
          timeline: impacted ? [{ t: 0, event: `${region} fails`, phase: 'failing' }] : [],
        };
      }),
      // a bug in a rule
      (ctx: any) => {
        if (ctx.graph.ofType('Test::Bug').length > 0) throw new TypeError("Cannot read properties of undefined (reading 'x')\n    at rule");
        return [];
      },
    ],
  };
});

const ROOT = path.resolve(__dirname, '..', '..');

function endpoint(host: string, recoversAt = 100, secondary = 'us-west-2') {
  return { Type: 'Test::Endpoint', Properties: { Host: host, RecoversAt: recoversAt, Secondary: secondary } };
}

/** A small assembly: one placed endpoint per region and one the assembly cannot place. */
function assembly(): string {
  return writeAssembly(tmpAssemblyDir(), [
    { name: 'East', region: 'us-east-1', resources: { Api: endpoint('abc.execute-api.us-east-1.amazonaws.com', 47) } },
    { name: 'West', region: 'us-west-2', resources: { Api: endpoint('def.execute-api.us-west-2.amazonaws.com') } },
    { name: 'Dns', region: 'us-east-1', resources: { Origin: endpoint('origin.example.net', 2000) } },
  ]);
}

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(...argv: string[]): Run {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } };
  const status = main(argv, io);
  return { status, stdout, stderr };
}

/** A bad-input run: exit 2, nothing on stdout, exactly one line on stderr; returns that line. */
function badInput(...argv: string[]): string {
  const r = run(...argv);
  expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
  expect(r.stderr).toMatch(/^[^\n]+\n$/);
  return r.stderr.trimEnd();
}

describe('simulate: output', () => {
  test('default: the readable table, exit 0', () => {
    const r = run('simulate', assembly(), '--outage', 'us-east-1', '--endpoint-region', 'origin.example.net=us-east-1', '--horizon', '600');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      'Outage of us-east-1 at t = 0 s: 3 flows, 2 impacted, 1 without automatic recovery',
      '',
      'FLOW                                     KIND    IMPACTED  FROM -> TO                               WORST  TYPICAL  PER REQUEST',
      'abc.execute-api.us-east-1.amazonaws.com  static  yes       us-east-1 -> us-west-2                    47 s     47 s            -',
      'def.execute-api.us-west-2.amazonaws.com  static  no        us-west-2 -> -                    not impacted        -            -',
      'origin.example.net                       static  yes       us-east-1 -> us-west-2  never (needs a person)        -            -',
      '',
      'Blocked',
      '  origin.example.net (static:Dns/Origin)',
      '    - static:Dns/Origin: recovers only after the 600 s horizon (at 2000 s)',
      '',
      'Timelines (seconds since the outage)',
      '  abc.execute-api.us-east-1.amazonaws.com (static:East/Api)',
      '    0 s  us-east-1 fails  [failing]',
      '  origin.example.net (static:Dns/Origin)',
      '    0 s  us-east-1 fails  [failing]',
      '',
    ].join('\n'));
  });

  test('--json: stdout is exactly one JSON document in the issue\'s shape, and nothing else writes to stdout', () => {
    const write = jest.spyOn(process.stdout, 'write');
    const log = jest.spyOn(console, 'log');
    const r = run('simulate', assembly(), '--outage', 'us-east-1', '--json');
    expect(write).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['outage', 'flows', 'findings']);
    expect(doc.outage).toEqual({ region: 'us-east-1', startsAt: 0 });
    expect(doc.flows[0]).toEqual({
      id: 'static:East/Api',
      kind: 'static',
      name: 'abc.execute-api.us-east-1.amazonaws.com',
      impacted: true,
      from: 'us-east-1',
      to: 'us-west-2',
      recoveredAtSeconds: 47,
      typicalSeconds: 47,
      perRequestPenaltySeconds: null,
      blockedBy: [],
      timeline: [{ t: 0, event: 'us-east-1 fails', phase: 'failing' }],
    });
    expect(doc.flows[1]).toMatchObject({ id: 'static:West/Api', impacted: false, from: 'us-west-2', to: null, recoveredAtSeconds: null });
    // origin.example.net carries no region and nothing in the assembly places it
    expect(doc.flows[2]).toMatchObject({ id: 'static:Dns/Origin', impacted: false, from: null });
    expect(doc.findings).toEqual([{
      severity: 'warning',
      resource: 'Dns/Origin',
      message: 'cannot tell which region serves origin.example.net; pass --endpoint-region origin.example.net=<region>',
    }]);
  });

  test('--endpoint-region host=region places an endpoint the assembly cannot place (repeatable, URL or host)', () => {
    const doc = JSON.parse(run('simulate', assembly(), '--outage', 'us-east-1', '--json',
      '--endpoint-region', 'https://Origin.Example.NET./path=us-east-1', '--endpoint-region=other.example.org=eu-west-1').stdout);
    expect(doc.flows[2]).toMatchObject({ id: 'static:Dns/Origin', impacted: true, from: 'us-east-1', to: 'us-west-2' });
    expect(doc.findings).toEqual([]);
  });

  test('--horizon: a flow that recovers after the horizon is reported as not recovering, with a blocker naming it', () => {
    const args = ['simulate', assembly(), '--outage', 'us-east-1', '--json', '--endpoint-region', 'origin.example.net=us-east-1'];
    // default horizon 3600 s: the origin recovers at 2000 s
    expect(JSON.parse(run(...args).stdout).flows[2]).toMatchObject({ recoveredAtSeconds: 2000, blockedBy: [] });
    const doc = JSON.parse(run(...args, '--horizon', '600').stdout);
    expect(doc.flows[2]).toMatchObject({
      recoveredAtSeconds: null,
      typicalSeconds: null,
      blockedBy: [{ resource: 'static:Dns/Origin', reason: 'recovers only after the 600 s horizon (at 2000 s)' }],
    });
    expect(doc.flows[0].recoveredAtSeconds).toBe(47);
  });

  test('--svg writes the timeline picture; with --json stdout still holds only the JSON', () => {
    const file = path.join(tmpAssemblyDir(), 'outage.svg');
    const r = run('simulate', assembly(), '--outage', 'us-east-1', '--json', '--svg', file);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).outage.region).toBe('us-east-1');
    const svg = fs.readFileSync(file, 'utf-8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    expect(svg).toContain('<title id="title">Outage of us-east-1: 3 flows, 1 impacted</title>');
    expect(svg).toContain('data-flow="static:East/Api"');
    const table = run('simulate', assembly(), '--outage', 'us-east-1', '--svg', file);
    expect(table.stdout.endsWith(`\nTimeline picture: ${file}\n`)).toBe(true);
  });

  test('--help and help print the usage, exit 0', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['simulate', '--help'], ['simulate', 'cdk.out', '-h']]) {
      expect(run(...argv)).toEqual({ status: 0, stdout: USAGE, stderr: '' });
    }
    expect(USAGE).toContain(`Usage: ${COMMAND} simulate <assembly-dir> --outage <region> [options]`);
  });
});

describe('simulate: bad input exits 2 with one line on stderr', () => {
  test.each([
    [[], `${COMMAND}: missing subcommand: try '${COMMAND} simulate <assembly-dir> --outage <region>' or '${COMMAND} --help'`],
    [['simulat', 'cdk.out'], `${COMMAND}: unknown subcommand 'simulat': the only subcommand is 'simulate' (see --help)`],
    [['simulate', '--outage', 'us-east-1'], `${COMMAND}: missing <assembly-dir>: the cloud assembly directory, e.g. cdk.out`],
    [['simulate', 'a', 'b', '--outage', 'us-east-1'], `${COMMAND}: expected one <assembly-dir>, got 2: a b`],
    [['simulate', 'cdk.out'], `${COMMAND}: missing --outage <region>, e.g. --outage us-east-1`],
    [['simulate', 'cdk.out', '--outage'], `${COMMAND}: --outage needs a value (see --help)`],
    [['simulate', 'cdk.out', '--outage', '--json'], `${COMMAND}: --outage needs a value (see --help)`],
    [['simulate', 'cdk.out', '--outage', 'us-east-1', '--regions', 'x'], `${COMMAND}: unknown option '--regions' (see --help)`],
    [['simulate', 'cdk.out', '--outage', 'us-east-1', '--json=yes'], `${COMMAND}: --json takes no value, got: --json=yes`],
    [['simulate', 'cdk.out', '--outage', 'us-east-1', '--horizon', 'soon'], `${COMMAND}: --horizon must be a positive number of seconds, got: soon`],
    [['simulate', 'cdk.out', '--outage', 'us-east-1', '--horizon', '0'], `${COMMAND}: --horizon must be a positive number of seconds, got: 0`],
    [['simulate', 'cdk.out', '--outage', 'us-east-1', '--horizon=-5'], `${COMMAND}: --horizon must be a positive number of seconds, got: -5`],
    [['simulate', 'cdk.out', '--outage', 'us-east-1', '--svg='], `${COMMAND}: --svg needs a file name`],
    [['simulate', 'cdk.out', '--outage', 'us-east-1', '--endpoint-region', 'origin.example.net'],
      `${COMMAND}: --endpoint-region must be host=region (e.g. origin.example.net=us-east-1), got: origin.example.net`],
    [['simulate', 'cdk.out', '--outage', 'us-east-1', '--endpoint-region', 'origin.example.net=Virginia'],
      `${COMMAND}: --endpoint-region must be host=region (e.g. origin.example.net=us-east-1), got: origin.example.net=Virginia`],
  ])('%j', (argv, message) => {
    expect(badInput(...(argv as string[]))).toBe(message);
  });

  test('missing assembly directory', () => {
    const dir = path.join(tmpAssemblyDir(), 'cdk.out');
    expect(badInput('simulate', dir, '--outage', 'us-east-1')).toBe(`${COMMAND}: cannot read the cloud assembly manifest: ${dir}/manifest.json (ENOENT)`);
  });

  test('corrupt manifest and corrupt template', () => {
    const dir = assembly();
    fs.writeFileSync(path.join(dir, 'East.template.json'), 'not json');
    expect(badInput('simulate', dir, '--outage', 'us-east-1')).toMatch(
      new RegExp(`^${COMMAND}: the template of stack East is not valid JSON: ${dir}/East\\.template\\.json \\(.+\\)$`));
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{');
    expect(badInput('simulate', dir, '--outage', 'us-east-1', '--json')).toMatch(
      new RegExp(`^${COMMAND}: the cloud assembly manifest is not valid JSON: ${dir}/manifest\\.json \\(.+\\)$`));
  });

  test('unknown region', () => {
    expect(badInput('simulate', assembly(), '--outage', 'us-east-9', '--json'))
      .toBe(`${COMMAND}: unknown region 'us-east-9': not an AWS region this library knows, and no stack of the assembly is in it`);
  });

  test('`--` ends the options: what follows is the assembly directory', () => {
    const dir = path.join(tmpAssemblyDir(), '--json');
    expect(badInput('simulate', '--outage', 'us-east-1', '--', dir)).toBe(`${COMMAND}: cannot read the cloud assembly manifest: ${dir}/manifest.json (ENOENT)`);
  });

  test('a bug (not bad input) exits 1 with one line that asks for a report', () => {
    const dir = writeAssembly(tmpAssemblyDir(), [{ name: 'East', region: 'us-east-1', resources: { X: { Type: 'Test::Bug' } } }]);
    const r = run('simulate', dir, '--outage', 'us-east-1', '--json');
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr: `${COMMAND}: internal error: Cannot read properties of undefined (reading 'x') at rule (please report it with the command line)\n`,
    });
  });

  test('an --svg file that cannot be written', () => {
    const file = path.join(tmpAssemblyDir(), 'no-such-dir', 'x.svg');
    expect(badInput('simulate', assembly(), '--outage', 'us-east-1', '--svg', file)).toBe(`${COMMAND}: cannot write the --svg file ${file} (ENOENT)`);
  });
});

describe('formatReport', () => {
  const result: SimulationResult = resultOf('us-east-1', [
    dnsFailoverFlow([
      'us-east-1 fails',
      'health check probes time out',
      'health check unhealthy',
      'Route 53 answers with us-west-2',
      'resolver caches expire (TTL 60 s)',
    ]),
    {
      id: 'database-writer:Db/Global',
      kind: 'database-writer',
      name: 'Global database',
      impacted: true,
      fromRegion: 'us-east-1',
      blockedBy: [{ resource: 'Db/Orchestrator', reason: 'failover is started by a person' }],
      afterManualStepSeconds: 150,
      timeline: [{ t: 0, event: 'writer lost', phase: 'failing' }],
    },
    {
      id: 'cdn-read:Site/Dist',
      kind: 'cdn-read',
      name: 'www.example.com',
      impacted: true,
      fromRegion: 'us-east-1',
      toRegion: 'us-west-2',
      recoveredAtSeconds: 0,
      perRequestPenaltySeconds: 12,
      blockedBy: [],
      timeline: [],
    },
    { id: 'static:Assets', kind: 'static', name: 'x'.repeat(60), impacted: false, fromRegion: 'us-west-2', blockedBy: [], timeline: [] },
  ], [
    { severity: 'warning', resource: 'Site/Origin', message: 'cannot tell which region serves origin.example.net' },
    { severity: 'error', resource: 'Dns/Primary', message: 'failover PRIMARY without a health check' },
  ]);

  test('table, blockers, timelines and findings (errors first)', () => {
    expect(formatReport(result)).toBe([
      'Outage of us-east-1 at t = 0 s: 4 flows, 3 impacted, 1 without automatic recovery',
      '',
      'FLOW                                              KIND             IMPACTED  FROM -> TO                               WORST  TYPICAL  PER REQUEST',
      'api.example.com                                   dns              yes       us-east-1 -> us-west-2                   106 s     90 s            -',
      'Global database                                   database-writer  yes       us-east-1 -> -          never (needs a person)        -            -',
      'www.example.com                                   cdn-read         yes       us-east-1 -> us-west-2                     0 s      0 s        +12 s',
      `${'x'.repeat(47)}…  static           no        us-west-2 -> -                    not impacted        -            -`,
      '',
      'Blocked',
      '  Global database (database-writer:Db/Global)',
      '    - Db/Orchestrator: failover is started by a person',
      '    after the manual step: recovered within 150 s (2.5 min)',
      '',
      'Timelines (seconds since the outage)',
      '  api.example.com (dns:api.example.com)',
      '      0 s  us-east-1 fails  [failing]',
      '      0 s  health check probes time out  [detection]',
      '     36 s  health check unhealthy  [propagation]',
      '     46 s  Route 53 answers with us-west-2',
      '    106 s  resolver caches expire (TTL 60 s)  [recovered, serving: us-west-2]',
      '  Global database (database-writer:Db/Global)',
      '    0 s  writer lost  [failing]',
      '',
      'Findings (2)',
      '  ERROR    Dns/Primary: failover PRIMARY without a health check',
      '  WARNING  Site/Origin: cannot tell which region serves origin.example.net',
      '',
    ].join('\n'));
  });

  test('no flows', () => {
    expect(formatReport(resultOf('eu-west-1', [])))
      .toBe('Outage of eu-west-1 at t = 0 s: 0 flows, 0 impacted, 0 without automatic recovery\n\nNo traffic or data flow found in the assembly.\n');
  });
});

describe('the bin as a process (real rules, no mocks)', () => {
  test('exit status, only JSON on stdout, one stderr line on bad input', () => {
    const dir = assembly();
    // The bin bundled like its compiled form (packages stay external, resolved from this repo's node_modules).
    const script = path.join(tmpAssemblyDir('sim-bin-'), 'cdk-multi-region-failover.js');
    esbuild.buildSync({ entryPoints: [path.join(ROOT, 'src/simulator/bin.ts')], bundle: true, platform: 'node', packages: 'external', outfile: script, logLevel: 'error' });
    expect(fs.readFileSync(script, 'utf-8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    const bin = (...args: string[]) => spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf-8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    });
    const ok = bin('simulate', dir, '--outage', 'us-east-1', '--json');
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
    const doc = JSON.parse(ok.stdout);
    expect(doc.outage).toEqual({ region: 'us-east-1', startsAt: 0 });
    expect(Array.isArray(doc.flows) && Array.isArray(doc.findings)).toBe(true);
    const bad = bin('simulate', dir, '--outage', 'mars-north-1');
    expect({ status: bad.status, stdout: bad.stdout }).toEqual({ status: 2, stdout: '' });
    expect(bad.stderr).toBe(`${COMMAND}: unknown region 'mars-north-1': not an AWS region this library knows, and no stack of the assembly is in it\n`);
  }, 30_000);
});
