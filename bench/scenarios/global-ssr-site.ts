import { App } from 'aws-cdk-lib';
import { GlobalSsrSite } from '../../src/global-ssr-site';

export const name = 'GlobalSsrSite';

/** A two-region SSR site (bootstrap page, default settings) in regions[0] (primary) and regions[1] (DR). */
export function build(app: App, regions: string[]): void {
  new GlobalSsrSite(app, 'BenchGlobalSsrSite', {
    account: '123456789012',
    primaryRegion: regions[0],
    drRegion: regions[1],
    domainName: 'www.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
    siteName: 'bench-ssr',
  });
}
