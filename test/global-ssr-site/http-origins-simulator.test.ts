import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { OutageSimulator, SimulationResult, SsrEdgeStack, SsrOriginStack } from '../../src';
import { RegionalService } from '../../src/regional-service';
import { tmpAssemblyDir } from '../simulator/fixtures';

const ACCOUNT = '111111111111';

/**
 * An SsrEdgeStack over two RegionalService load balancers (httpOrigins) through the outage simulator. The origin hosts
 * (`<region>.app.example.com`) carry no region, so the run gives their regions (`endpointRegions`).
 */
describe('SsrEdgeStack with httpOrigins through the simulator', () => {
  let result: SimulationResult;
  beforeAll(() => {
    const outdir = tmpAssemblyDir('sim-http-origins-');
    const app = new App({ outdir });
    const service = new RegionalService(app, 'Svc', {
      account: ACCOUNT,
      regions: ['eu-west-1', 'eu-central-1'],
      hostedZoneId: 'Z0EXAMPLE',
      zoneName: 'example.com',
      domainName: 'app.example.com',
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
      originProtection: {},
    });
    const common = { siteName: 'web', primaryRegion: 'eu-west-1', drRegion: 'eu-central-1' };
    new SsrEdgeStack(app, 'Edge', {
      ...common,
      env: { account: ACCOUNT, region: 'us-east-1' },
      domainName: 'www.example.com',
      hostedZoneId: 'Z0EXAMPLE',
      zoneName: 'example.com',
      healthCheckPath: service.healthCheckPath,
      httpOrigins: service.cloudFrontOrigins(),
    });
    new SsrOriginStack(app, 'DrOrigin', { ...common, env: { account: ACCOUNT, region: 'eu-central-1' }, ssrFunctionGrants: false, writeFailoverReconciler: true, domainName: 'www.example.com' });
    new SsrOriginStack(app, 'PrimaryOrigin', { ...common, env: { account: ACCOUNT, region: 'eu-west-1' }, ssrFunctionGrants: false });
    app.synth();
    result = OutageSimulator.fromAssembly(outdir).run({
      outage: 'eu-west-1',
      endpointRegions: { 'eu-west-1.app.example.com': 'eu-west-1', 'eu-central-1.app.example.com': 'eu-central-1' },
    });
  });

  const flow = (kind: string) => {
    const found = result.flows.filter((f) => f.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };

  test('reads: the per-request origin group moves GET/HEAD/OPTIONS to the DR load balancer at once, 1 × 2 s + 1 × 10 s per request', () => {
    const read = flow('cdn-read');
    expect([read.impacted, read.recoveredAtSeconds, read.perRequestPenaltySeconds, read.toRegion]).toEqual([true, 0, 12, 'eu-central-1']);
  });

  test('writes: the flag path (health check through the probe path → alarm → flip) moves them in 226 s, as for function URLs', () => {
    const write = flow('cdn-write');
    expect([write.impacted, write.recoveredAtSeconds, write.toRegion]).toEqual([true, 226, 'eu-central-1']);
  });

  test('static assets still fail over between the buckets', () => {
    expect(flow('static').toRegion).toBe('eu-central-1');
  });
});
