import { FixtureStack, tmpAssemblyDir, writeAssembly } from './fixtures';
import { OutageSimulator, SimulatedFlow, SimulationResult } from '../../src';
import { readAssembly } from '../../src/simulator/assembly';
import { SimulationContext } from '../../src/simulator/context';
import { AssemblyGraph } from '../../src/simulator/graph';

/** Runs the simulator over a hand-written assembly. */
export function simulate(stacks: FixtureStack[], outage: string): SimulationResult {
  return OutageSimulator.fromAssembly(writeAssembly(tmpAssemblyDir('sim-cdn-'), stacks)).run({ outage });
}

/** A rule context over a hand-written assembly, for calling the model's functions directly. */
export function contextFor(stacks: FixtureStack[], outage: string): SimulationContext {
  const graph = new AssemblyGraph(readAssembly(writeAssembly(tmpAssemblyDir('sim-cdn-'), stacks)));
  return { graph, outage, horizon: 3600, propagation: 10, endpointRegions: {}, findings: [] };
}

/** The flow `id` of a result (fails the test when missing). */
export function flowOf(result: SimulationResult, id: string): SimulatedFlow {
  const flow = result.flows.find((f) => f.id === id);
  if (!flow) throw new Error(`no flow ${id}; flows: ${result.flows.map((f) => f.id).join(', ')}`);
  return flow;
}

/** A custom origin (CustomOriginConfig) of `domain`. */
export function customOrigin(id: string, domain: any, timing: { attempts?: number; connect?: number; read?: number } = {}): any {
  return {
    Id: id,
    DomainName: domain,
    ...(timing.attempts !== undefined ? { ConnectionAttempts: timing.attempts } : {}),
    ...(timing.connect !== undefined ? { ConnectionTimeout: timing.connect } : {}),
    CustomOriginConfig: { OriginProtocolPolicy: 'https-only', ...(timing.read !== undefined ? { OriginReadTimeout: timing.read } : {}) },
  };
}

/** An S3 REST origin (S3OriginConfig) of a bucket by name and region. */
export function s3Origin(id: string, bucket: string, region: string, timing: { attempts?: number; connect?: number; read?: number } = {}): any {
  return {
    Id: id,
    DomainName: `${bucket}.s3.${region}.amazonaws.com`,
    ...(timing.attempts !== undefined ? { ConnectionAttempts: timing.attempts } : {}),
    ...(timing.connect !== undefined ? { ConnectionTimeout: timing.connect } : {}),
    S3OriginConfig: { OriginAccessIdentity: '', ...(timing.read !== undefined ? { OriginReadTimeout: timing.read } : {}) },
  };
}

/** An origin group (primary first). */
export function originGroup(id: string, members: string[], codes: number[] = [500, 502, 503, 504]): any {
  return {
    Id: id,
    FailoverCriteria: { StatusCodes: { Items: codes, Quantity: codes.length } },
    Members: { Items: members.map((m) => ({ OriginId: m })), Quantity: members.length },
  };
}

export const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'];

/** A distribution resource. */
export function distribution(config: { origins: any[]; groups?: any[]; defaultBehavior: any; behaviors?: any[]; aliases?: string[] }): any {
  return {
    Type: 'AWS::CloudFront::Distribution',
    Properties: {
      DistributionConfig: {
        Aliases: config.aliases ?? ['www.example.com'],
        Enabled: true,
        Origins: config.origins,
        ...(config.groups ? { OriginGroups: { Items: config.groups, Quantity: config.groups.length } } : {}),
        DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', ...config.defaultBehavior },
        ...(config.behaviors ? { CacheBehaviors: config.behaviors } : {}),
      },
    },
    Metadata: { 'aws:cdk:path': 'Edge/Distribution/Resource' },
  };
}

/**
 * A CloudFront Function like GlobalSsrSite's edge router: probe paths pinned to one origin, a KeyValueStore flag that
 * sends every request to `dr`, else a per-request origin group for GET/HEAD/OPTIONS.
 */
export function edgeRouter(kvsLogicalId: string | undefined, codes: number[] = [500, 502, 503, 504]): any {
  const config = `{"primaryOriginId":"app-primary","drOriginId":"app-dr","failoverStatusCodes":${JSON.stringify(codes)},"keyValueStoreId":"`;
  const rest = '","activeOriginKey":"active-origin","primaryProbePath":"/health/primary","drProbePath":"/health/dr"};\n'
    + 'var kvsHandle = CONFIG.keyValueStoreId ? cf.kvs(CONFIG.keyValueStoreId) : null;\n'
    + 'var RETRYABLE = { GET: true, HEAD: true, OPTIONS: true };\n'
    + 'async function handler(event) {\n  var request = event.request;\n'
    + '  if (request.uri === CONFIG.primaryProbePath || request.uri === CONFIG.drProbePath) {\n'
    + '    cf.selectRequestOriginById(request.uri === CONFIG.primaryProbePath ? CONFIG.primaryOriginId : CONFIG.drOriginId);\n    return request;\n  }\n'
    + '  var value = kvsHandle ? await kvsHandle.get(CONFIG.activeOriginKey) : null;\n'
    + "  if (value === 'dr') { cf.selectRequestOriginById(CONFIG.drOriginId); return request; }\n"
    + '  if (RETRYABLE[request.method]) {\n'
    + '    cf.createRequestOriginGroup({ originIds: [CONFIG.primaryOriginId, CONFIG.drOriginId], failoverCriteria: { statusCodes: CONFIG.failoverStatusCodes } });\n'
    + '  }\n  return request;\n}\n';
  const code = kvsLogicalId
    ? { 'Fn::Join': ['', [`import cf from 'cloudfront';\nvar CONFIG = ${config}`, { 'Fn::GetAtt': [kvsLogicalId, 'Id'] }, rest]] }
    : `import cf from 'cloudfront';\nvar CONFIG = ${config}${rest}`;
  return {
    Type: 'AWS::CloudFront::Function',
    Properties: {
      AutoPublish: true,
      FunctionCode: code,
      FunctionConfig: {
        Comment: 'router',
        Runtime: 'cloudfront-js-2.0',
        ...(kvsLogicalId ? { KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [kvsLogicalId, 'Arn'] } }] } : {}),
      },
      Name: 'router',
    },
  };
}

/** Behaviors of a site routed by `edgeRouter`: default (all methods) and the two pinned probe paths. */
export function routedSite(routerLogicalId: string, primaryDomain: any, drDomain: any): any {
  const fn = [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [routerLogicalId, 'FunctionARN'] } }];
  return distribution({
    aliases: ['app.example.com'],
    origins: [customOrigin('app-primary', primaryDomain, { attempts: 1, connect: 2, read: 10 }), customOrigin('app-dr', drDomain, { attempts: 1, connect: 2, read: 10 })],
    defaultBehavior: { TargetOriginId: 'app-primary', AllowedMethods: ALL_METHODS, FunctionAssociations: fn },
    behaviors: [
      { PathPattern: '/health/primary', TargetOriginId: 'app-primary', AllowedMethods: ['GET', 'HEAD'], FunctionAssociations: fn, ViewerProtocolPolicy: 'https-only' },
      { PathPattern: '/health/dr', TargetOriginId: 'app-dr', AllowedMethods: ['GET', 'HEAD'], FunctionAssociations: fn, ViewerProtocolPolicy: 'https-only' },
    ],
  });
}
