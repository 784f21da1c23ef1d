import { App } from 'aws-cdk-lib';
import { tmpAssemblyDir } from './fixtures';
import { GlobalSsrSite, OutageSimulator, SimulationResult } from '../../src';

/**
 * GlobalSsrSite's own assembly through the simulator: its flows must never be worse than the construct's estimates
 * (`recoveryEstimate` for writes, `readRecoveryEstimate.perRequestPenalty` for SSR reads).
 */
function siteRun(primaryRegion: string, drRegion: string): { site: GlobalSsrSite; run: (outage: string) => SimulationResult } {
  const outdir = tmpAssemblyDir('sim-site-');
  const app = new App({ outdir });
  const site = new GlobalSsrSite(app, 'Site', {
    account: '111111111111', primaryRegion, drRegion, domainName: 'app.example.com', hostedZoneId: 'Z0EXAMPLE', zoneName: 'example.com',
  });
  app.synth();
  const simulator = OutageSimulator.fromAssembly(outdir);
  return { site, run: (outage) => simulator.run({ outage }) };
}

const flow = (r: SimulationResult, kind: string) => {
  const found = r.flows.filter((f) => f.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('GlobalSsrSite through the simulator', () => {
  test('primary us-east-1 (the example app): writes move via the DR reconciler\'s probes in 108 s ≤ the 289 s budget', () => {
    const { site, run } = siteRun('us-east-1', 'us-west-2');
    const east = run('us-east-1');
    const write = flow(east, 'cdn-write');
    // Alarm and flip function die with us-east-1; reconciler: 60 + 3 + 3 × 5 + 2 × 5 + 5 + 5 + 10 = 108 s (typical 51 s).
    expect([write.recoveredAtSeconds, write.typicalSeconds]).toEqual([108, 51]);
    expect(write.recoveredAtSeconds!).toBeLessThanOrEqual(site.recoveryEstimate.rto.toSeconds());
    const read = flow(east, 'cdn-read');
    // SSR reads: 1 × 2 s + 1 × 10 s = 12 s per request, the estimate's per-request penalty.
    expect([read.recoveredAtSeconds, read.perRequestPenaltySeconds]).toEqual([0, site.readRecoveryEstimate.perRequestPenalty!.toSeconds()]);
    const west = run('us-west-2');
    expect(west.flows.filter((f) => f.kind.startsWith('cdn') && f.impacted)).toEqual([]);
  });

  test('primary eu-west-1: the alarm path wins: 10 s × 2 + 6 s + 120 s + 60 s + 5 s DR probe + 5 s + 10 s = 226 s ≤ 289 s', () => {
    const { site, run } = siteRun('eu-west-1', 'eu-central-1');
    const write = flow(run('eu-west-1'), 'cdn-write');
    // Typical: 20 + 60 + 30 (alarm) + 1 + 10 = 121 s, the estimate's typical RTO.
    expect([write.recoveredAtSeconds, write.typicalSeconds]).toEqual([226, site.recoveryEstimate.typicalRto.toSeconds()]);
    expect(write.recoveredAtSeconds!).toBeLessThanOrEqual(site.recoveryEstimate.rto.toSeconds());
  });

  test('static assets: the S3 origins take the site\'s 10 s read timeout: 1 × 2 s + 1 × 10 s = 12 s per request, the published figure', () => {
    const { run, site } = siteRun('us-east-1', 'us-west-2');
    const assets = flow(run('us-east-1'), 'static');
    expect([assets.recoveredAtSeconds, assets.perRequestPenaltySeconds, assets.toRegion]).toEqual([0, 12, 'us-west-2']);
    expect(assets.perRequestPenaltySeconds).toBe(site.readRecoveryEstimate.perRequestPenalty!.toSeconds());
  });
});
