/**
 * The README's outage deploy command, checked against the CDK CLI on the example app's cloud assembly (no AWS account
 * needed: `cdk ls` only reads the assembly). The CLI selects stacks by construct path, not by stack name, and a
 * selection without `--exclusively` pulls in the stacks it depends on.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/app';

const ROOT = path.join(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');

interface ListedStack {
  readonly id: string;
  readonly name: string;
  readonly environment: { readonly region: string };
}

function cdkList(outdir: string, selectors: string[]): ListedStack[] {
  const out = execFileSync(CDK, ['ls', '--app', outdir, '--long', '--json', ...selectors], {
    cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' }, stdio: ['ignore', 'pipe', 'ignore'],
  });
  // `id` is "<path> (<stack name>)" when the stack name differs from the path.
  return (JSON.parse(out) as ListedStack[]).map((s) => ({ ...s, id: s.id.replace(/ \(.*\)$/, '') }));
}

/** The `--exclusively` command after `<!-- deploy-during-outage: <region> ... -->` in README.md. */
function outageCommand(): { region: string; selectors: string[] } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const match = /<!-- deploy-during-outage: ([a-z0-9-]+) [^>]*-->\n```bash\n(npx cdk deploy --exclusively .*)\n```/.exec(readme);
  expect(match).not.toBeNull();
  return { region: match![1], selectors: [...match![2].matchAll(/'([^']+)'/g)].map((m) => m[1]) };
}

describe('README: deploying during an outage', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-commands-'));
  beforeAll(() => {
    buildApp(outdir).synth();
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('every selector of the --exclusively command is the path of one stack of the surviving region, and they cover all of its stacks', () => {
    const { region, selectors } = outageCommand();
    const all = cdkList(outdir, []);
    const byId = new Map(all.map((s) => [s.id, s]));
    for (const selector of selectors) {
      expect({ selector, region: byId.get(selector)?.environment.region }).toEqual({ selector, region });
    }
    // Every stack of that region is in the command, except FailoverDns's stack, which lives in the user's stack.
    const regional = all.filter((s) => s.environment.region === region).map((s) => s.id).sort();
    expect(regional).toEqual([...selectors].sort());
  });

  test('without --exclusively, selecting the surviving region pulls in the failed region\'s stacks', () => {
    const { selectors } = outageCommand();
    const selected = cdkList(outdir, selectors);
    expect(selected.filter((s) => s.environment.region === 'us-east-1').map((s) => s.id)).toEqual(expect.arrayContaining([
      'ExampleApi/us-east-1', 'ExampleDatabase/us-east-1', 'ExampleSite/Primary', 'ExampleSite/Global',
    ]));
  });

  test('the CLI does not select by stack name: a stack name selects nothing', () => {
    expect(cdkList(outdir, ['api-example-com-api-us-west-2'])).toEqual([]);
    expect(cdkList(outdir, ['ExampleApi/us-west-2']).map((s) => s.name)).toContain('api-example-com-api-us-west-2');
  });
});
