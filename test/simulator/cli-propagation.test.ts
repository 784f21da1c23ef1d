import * as path from 'path';
import { COMMAND, main } from '../../src/simulator/cli';

// `--propagation <seconds>`: the health checker → Route 53 DNS propagation allowance (an assumption: AWS publishes no
// figure; default 10 s, RecoveryModel.HEALTH_CHECK_PROPAGATION), with the real rules on the committed assembly
// (a nested Stage with a failover CNAME pair: HTTPS checks 10 s × 2, TTL 15 s).
const ASSEMBLY = path.join(__dirname, 'assemblies', 'failover-cname');

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = main(argv, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { status, stdout, stderr };
}

function worst(...extra: string[]): number {
  const r = run('simulate', ASSEMBLY, '--outage', 'us-east-1', '--json', ...extra);
  expect(r.status).toBe(0);
  const flows = JSON.parse(r.stdout).flows.filter((f: any) => f.kind === 'dns' && f.impacted);
  expect(flows).toHaveLength(1);
  return flows[0].recoveredAtSeconds;
}

describe('--propagation', () => {
  test('default 10 s: 10 s × 2 + 6 s probe timeout + 10 s + 15 s TTL = 51 s', () => {
    expect(worst()).toBe(51);
  });

  test('0 s: 41 s; 30 s: 71 s', () => {
    expect(worst('--propagation', '0')).toBe(41);
    expect(worst('--propagation=30')).toBe(71);
  });

  test.each(['-1', 'abc', '1e3'])('bad value %s: exit 2 with one line', (value) => {
    const r = run('simulate', ASSEMBLY, '--outage', 'us-east-1', `--propagation=${value}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${COMMAND}: --propagation must be a non-negative number of seconds, got: ${value}\n`);
    expect(r.stdout).toBe('');
  });
});
