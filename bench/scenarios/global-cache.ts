import { App } from 'aws-cdk-lib';
import { GlobalCache } from '../../src/global-cache';

export const name = 'GlobalCache';

/**
 * A Valkey global datastore over `regions` (the first is the primary) with the construct's own VPCs, an AUTH token
 * replicated to every region and a lag alarm per secondary. AWS allows a primary and at most two secondaries ("up to two
 * other AWS Regions"), so 4 and 6 regions are rows with the construct's synth error, not timings.
 */
export function build(app: App, regions: string[]): void {
  new GlobalCache(app, 'BenchGlobalCache', {
    account: '111111111111',
    regions,
    cacheName: 'bench-cache',
  });
}
