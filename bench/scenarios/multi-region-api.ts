/**
 * Bench scenario: a MultiRegionApi over every benchmark region with the built-in handler, CORS for one
 * origin and two extra routes (what a typical consumer synthesizes).
 */
import { App } from 'aws-cdk-lib';
import { MultiRegionApi } from '../../src/multi-region-api';

export const name = 'MultiRegionApi';

export function build(app: App, regions: string[]): void {
  new MultiRegionApi(app, 'BenchMultiRegionApi', {
    account: '123456789012',
    regions,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
    recordName: 'api',
    cors: { allowOrigins: ['https://app.example.com'] },
    routes: [
      { path: '/items', methods: ['GET', 'POST'] },
      { path: '/items/{id}', methods: ['GET', 'PUT', 'DELETE'] },
    ],
  });
}
