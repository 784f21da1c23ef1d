/**
 * Issue 18 item 5: `cdk synth --strict` fails on any warning in the cloud assembly. The default, documented
 * configurations (the example app of the README's main command, and each construct's main README example) must leave no
 * warning; every warning the library can raise is acknowledgeable (`addWarningV2` with a `cdk-multi-region-failover:`
 * id) and the README lists it with how to acknowledge it
 * (https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.Annotations.html#acknowledgewbrwarningid-message).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import * as ts from 'typescript';
import { buildApp } from '../../examples/app';
import { restoreEnvAfterEach } from '../util/synth';

const ROOT = path.join(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const WARNING = 'aws:cdk:warning';

/** Every warning `cdk synth --strict` would fail on: the warnings of every stack, nested Stages included. */
function stackWarnings(app: App): string[] {
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  return stacks.flatMap((stack) => Annotations.fromStack(stack).findWarning('*', Match.anyValue())
    .map((w) => `${w.id}: ${String(w.entry.data)}`));
}

/** Warnings on constructs outside every stack: the assembly never shows them, so they are lost, not acknowledged. */
function lostWarnings(app: App): string[] {
  const inStack = (c: IConstruct) => c.node.scopes.some((s) => Stack.isStack(s));
  return app.node.findAll().filter((c) => !inStack(c))
    .flatMap((c) => c.node.metadata.filter((m) => m.type === WARNING).map((m) => `${c.node.path}: ${String(m.data)}`));
}

/** The first ```ts block after the line `heading` (and after the text `then`, when given) in README.md. */
function readmeExample(heading: string, then?: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(0);
  let rest = README.slice(start);
  if (then) {
    expect(rest.indexOf(then)).toBeGreaterThan(0);
    rest = rest.slice(rest.indexOf(then));
  }
  const block = /\n```ts\n([\s\S]*?)\n```/.exec(rest);
  expect(block).not.toBeNull();
  return block![1];
}

/**
 * Runs a README example the way jsii-rosetta's fixture (test/rosetta/default.ts-fixture) compiles it: inside the
 * constructor of a Stack in us-east-1 (`this`), with the App as `app` and the fixture's aws-cdk-lib imports.
 */
function runExample(source: string, app: App): void {
  runIn(() => {
    runSource(source, app);
    // The example built something of this library (a stack of its own, or resources in the fixture stack).
    expect(app.node.findAll().length).toBeGreaterThan(20);
  });
}

/** Runs `f` in a scratch directory with the local folders README examples name (GlobalSsrSite's `./site/public`). */
function runIn(f: () => void): void {
  const cwd = process.cwd();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strict-readme-'));
  fs.mkdirSync(path.join(work, 'site', 'public'), { recursive: true });
  fs.writeFileSync(path.join(work, 'site', 'public', 'index.html'), '<h1>ok</h1>\n');
  process.chdir(work);
  try {
    f();
  } finally {
    process.chdir(cwd);
  }
}

function runSource(source: string, app: App): void {
  const code = source.replace(/from 'cdk-multi-region-failover'/g, `from ${JSON.stringify(path.join(ROOT, 'src'))}`);
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const fixture = new Stack(app, 'Fixture', { env: { account: '111111111111', region: 'us-east-1' } });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const body = new Function('exports', 'require', 'app', 'CfnOutput', 'Duration', 'Stack', 'Stage', js);
  body.call(fixture, {}, require, app, CfnOutput, Duration, Stack, Stage);
}

describe('cdk synth --strict: the default documented configuration leaves no warning (issue 18 item 5)', () => {
  restoreEnvAfterEach('CDK_DEFAULT_ACCOUNT');

  test('examples/app.ts, the app of the README\'s main command: no warning in any stack, none lost outside a stack', () => {
    const app = buildApp(fs.mkdtempSync(path.join(os.tmpdir(), 'strict-synth-')));
    app.synth();
    expect(stackWarnings(app)).toEqual([]);
    expect(lostWarnings(app)).toEqual([]);
  });

  test('the CDK CLI\'s own strict check passes on the example app\'s assembly (cdk synth --strict)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'strict-cli-'));
    buildApp(outdir).synth();
    const run = () => execFileSync(CDK, ['synth', '--strict', '--quiet', '--app', outdir], {
      cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(run).not.toThrow();
  });

  // Each construct's main README example, run as the rosetta fixture compiles it.
  test.each([
    ['FailoverDns', '## FailoverDns', undefined],
    ['MultiRegionApi', '## MultiRegionApi', '### Example'],
    ['GlobalSsrSite', '## GlobalSsrSite', '### Example'],
    ['AuroraGlobalFailover', '## AuroraGlobalFailover', '### Example'],
  ])('the main README example of %s: no warning in any stack', (_name, heading, then) => {
    process.env.CDK_DEFAULT_ACCOUNT = '111111111111';
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'strict-readme-out-')) });
    runExample(readmeExample(heading, then), app);
    app.synth();
    expect(stackWarnings(app)).toEqual([]);
    expect(lostWarnings(app)).toEqual([]);
  });

  test('the README\'s per-region secret grant (issue 18 item 8) synthesizes: no warning, no export, each region its own copy', () => {
    const app = new App();
    runExample(readmeExample('## AuroraGlobalFailover', '**Reading a region\'s secret from any stack of that region.**'), app);
    expect(stackWarnings(app)).toEqual([]);
    const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    const west = stacks.find((st) => st.node.path === 'Api/us-west-2')!;
    const json = JSON.stringify(app.synth().getStackArtifact(west.artifactId).template);
    expect(json).not.toContain('Fn::ImportValue');
    expect(json).toContain('/cdk-multi-region-failover/orders/us-west-2/secret-arn');
    expect(json).not.toContain('/cdk-multi-region-failover/orders/us-east-1/secret-arn');
  });

  test('the README\'s acknowledgement example removes the warning it names (and without it the warning is there)', () => {
    const example = readmeExample('### Warnings and `cdk synth --strict`');
    expect(example).toContain('.acknowledgeWarning(\'cdk-multi-region-failover:ssr-primary-in-us-east-1\'');
    const acknowledged = new App();
    runExample(example, acknowledged);
    expect(stackWarnings(acknowledged)).toEqual([]);

    const withoutAck = example.replace(/\nAnnotations\.of\(site\)\.acknowledgeWarning\([\s\S]*?\);/, '');
    expect(withoutAck).not.toContain('acknowledgeWarning');
    const unacknowledged = new App();
    runExample(withoutAck, unacknowledged);
    expect(stackWarnings(unacknowledged)).toEqual([expect.stringMatching(/^\/Site\/Global: GlobalSsrSite: `primaryRegion` is us-east-1, .*\[ack: cdk-multi-region-failover:ssr-primary-in-us-east-1\]$/)]);
  });
});

describe('every warning of the library can be acknowledged, and the README says how (issue 18 item 5)', () => {
  const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : []);
  });
  const files = sources(path.join(ROOT, 'src')).map((f) => ({ file: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') }));

  test('no addWarning (v1, which cannot be acknowledged): every warning is addWarningV2 with a literal cdk-multi-region-failover: id', () => {
    const v1 = files.filter((f) => /\.addWarning\(/.test(f.text)).map((f) => f.file);
    expect(v1).toEqual([]);
    const calls = files.flatMap((f) => [...f.text.matchAll(/addWarningV2\(\s*([^,]*),/g)].map((m) => `${f.file}: ${m[1]}`));
    expect(calls.length).toBeGreaterThan(0);
    // The one exception: src/core/validation.ts addWarning(construct, '<literal id>', …), which moves a multi-region
    // construct's warning onto its first stack and passes the caller's literal id on.
    expect(calls.filter((c) => !/: 'cdk-multi-region-failover:[a-z0-9-]+'$/.test(c) && !/validation\.ts: id$/.test(c))).toEqual([]);
    // calls of that helper (not its declaration, `function addWarning(construct: IConstruct, id: string, …)`)
    const helperCalls = files.flatMap((f) => [...f.text.matchAll(/[^.\w]addWarning\(\s*[^,:]+,\s*([^,]*),/g)].map((m) => `${f.file}: ${m[1]}`));
    expect(helperCalls.length).toBeGreaterThan(0);
    expect(helperCalls.filter((c) => !/: 'cdk-multi-region-failover:[a-z0-9-]+'$/.test(c))).toEqual([]);
  });

  test('the README lists every warning id, in the section that shows how to acknowledge it', () => {
    const ids = [...new Set(files.flatMap((f) => [...f.text.matchAll(/(?:addWarningV2\(|[^.\w]addWarning\(\s*[^,]+,)\s*'(cdk-multi-region-failover:[a-z0-9-]+)'/g)].map((m) => m[1])))].sort();
    const start = README.indexOf('\n### Warnings and `cdk synth --strict`\n');
    expect(start).toBeGreaterThan(0);
    const section = README.slice(start, README.indexOf('\n## ', start + 1));
    expect(section).toContain('Annotations.of(');
    expect(section).toContain('.acknowledgeWarning(');
    expect(ids.filter((id) => !section.includes(`\`${id}\``))).toEqual([]);
  });
});
