/**
 * Settings baked into the CloudFront Function (viewer request, JavaScript runtime 2.0) of a `GlobalSsrSite`.
 * @internal
 */
export interface EdgeFunctionConfig {
  /** Origin id of the primary SSR function URL. */
  readonly primaryOriginId: string;
  /** Origin id of the DR SSR function URL. */
  readonly drOriginId: string;
  /** Status codes that make CloudFront retry a GET/HEAD/OPTIONS request on the DR origin. */
  readonly failoverStatusCodes: number[];
  /** Id of the KeyValueStore holding the active-origin flag; undefined when write failover is off. */
  readonly keyValueStoreId?: string;
  /** The key of the active-origin flag. */
  readonly activeOriginKey: string;
  /** Viewer path of the primary health probe. */
  readonly primaryProbePath: string;
  /** Viewer path of the DR health probe. */
  readonly drProbePath: string;
  /** The path the probes are rewritten to (the SSR app's health path). */
  readonly healthCheckPath: string;
}

/** Value of the active-origin flag that sends every request to the DR origin. */
export const ACTIVE_ORIGIN_DR = 'dr';
/** Value of the active-origin flag that restores normal routing. */
export const ACTIVE_ORIGIN_PRIMARY = 'primary';

/**
 * The body of the CloudFront Function, after the `import cf from 'cloudfront';` line. It is plain
 * JavaScript (CloudFront Functions runtime 2.0: ES 5.1 plus async/await, no arrow functions needed) so that
 * tests evaluate exactly this text in Node with a fake `cf` object.
 *
 * Routing:
 * 1. the health probe paths go to one origin (primary or DR) with the URI rewritten to the health path,
 *    so that a Route 53 health check can test one region through CloudFront and its OAC;
 * 2. when the KeyValueStore flag says `dr`, every request (any method) goes to the DR origin;
 * 3. otherwise GET/HEAD/OPTIONS get a per-request origin group (primary → DR on the failover status
 *    codes or a connection failure) and the other methods go to the primary origin (the behaviour's origin).
 *
 * A missing key or a KeyValueStore read error keeps normal routing (fail static).
 */
export const EDGE_FUNCTION_BODY = `
var CONFIG = __CONFIG__;
var kvsHandle = CONFIG.keyValueStoreId ? cf.kvs(CONFIG.keyValueStoreId) : null;
var RETRYABLE = { GET: true, HEAD: true, OPTIONS: true };

async function activeOrigin() {
  if (!kvsHandle) {
    return '${ACTIVE_ORIGIN_PRIMARY}';
  }
  try {
    var value = await kvsHandle.get(CONFIG.activeOriginKey);
    return value === '${ACTIVE_ORIGIN_DR}' ? '${ACTIVE_ORIGIN_DR}' : '${ACTIVE_ORIGIN_PRIMARY}';
  } catch (e) {
    return '${ACTIVE_ORIGIN_PRIMARY}';
  }
}

async function handler(event) {
  var request = event.request;
  if (request.uri === CONFIG.primaryProbePath || request.uri === CONFIG.drProbePath) {
    cf.selectRequestOriginById(request.uri === CONFIG.primaryProbePath ? CONFIG.primaryOriginId : CONFIG.drOriginId);
    request.uri = CONFIG.healthCheckPath;
    request.querystring = {};
    return request;
  }
  if ((await activeOrigin()) === '${ACTIVE_ORIGIN_DR}') {
    cf.selectRequestOriginById(CONFIG.drOriginId);
    return request;
  }
  if (RETRYABLE[request.method]) {
    cf.createRequestOriginGroup({
      originIds: [CONFIG.primaryOriginId, CONFIG.drOriginId],
      failoverCriteria: { statusCodes: CONFIG.failoverStatusCodes },
    });
  }
  return request;
}
`;

/**
 * The complete CloudFront Function source for `config`. Values may be CDK tokens (the KeyValueStore id):
 * they are embedded with `JSON.stringify`, which keeps a token's placeholder intact for CloudFormation.
 * @internal
 */
export function renderEdgeFunctionCode(config: EdgeFunctionConfig): string {
  const json = JSON.stringify({
    primaryOriginId: config.primaryOriginId,
    drOriginId: config.drOriginId,
    failoverStatusCodes: config.failoverStatusCodes,
    keyValueStoreId: config.keyValueStoreId ?? null,
    activeOriginKey: config.activeOriginKey,
    primaryProbePath: config.primaryProbePath,
    drProbePath: config.drProbePath,
    healthCheckPath: config.healthCheckPath,
  });
  return `import cf from 'cloudfront';\n${EDGE_FUNCTION_BODY.replace('__CONFIG__', () => json)}`;
}
