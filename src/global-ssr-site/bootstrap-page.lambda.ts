import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * The built-in page a `GlobalSsrSite` serves until the user deploys their own server code.
 *
 * It shows the region that answered and a visit counter kept in the site's DynamoDB global table (it is
 * incremented in the serving region's replica), which proves that state works in every region.
 * Route 53 health checker requests only read the counter. `BOOTSTRAP_FORCE_STATUS` (e.g. `503`) makes
 * every response fail with that status, the health path included: failover drills flip it with
 * `UpdateFunctionConfiguration`.
 *
 * The health path (`GLOBAL_SSR_HEALTH_PATH`, default `/_health`) answers 200 at once without rendering or reading
 * the table: Route 53 needs a 2xx/3xx within 2 seconds of connecting, through CloudFront and the function URL.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */

/** Partition and sort key of the counter item. */
export const COUNTER_KEY = { pk: { S: 'bootstrap#visits' }, sk: { S: 'counter' } };
const HEALTH_CHECKER_AGENT = 'Amazon-Route53-Health-Check-Service';
/** The health path when `GLOBAL_SSR_HEALTH_PATH` is not set. */
export const DEFAULT_HEALTH_PATH = '/_health';

const dynamodb = new DynamoDBClient({});

/** What the page reports. */
export interface PageState {
  readonly region: string;
  readonly role: string;
  readonly visits: number | null;
  readonly method: string;
  readonly path: string;
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const region = process.env.AWS_REGION ?? 'unknown';
  const role = process.env.GLOBAL_SSR_REGION_ROLE ?? 'unknown';
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? '/';
  const headers = lowerCaseHeaders(event.headers);
  const json = (headers.accept ?? '').includes('application/json') || event.queryStringParameters?.format === 'json';

  const forced = process.env.BOOTSTRAP_FORCE_STATUS;
  if (forced !== undefined && forced !== '') {
    const status = Number(forced);
    if (Number.isInteger(status) && status >= 400 && status <= 599) {
      return respond(status, json, { error: `forced failure (BOOTSTRAP_FORCE_STATUS=${status})`, region, role });
    }
  }

  if (path === (process.env.GLOBAL_SSR_HEALTH_PATH || DEFAULT_HEALTH_PATH)) {
    return respond(200, true, { status: 'ok', region, role });
  }

  const tableName = process.env.GLOBAL_SSR_TABLE_NAME;
  let visits: number | null = null;
  if (tableName) {
    const isHealthCheck = (headers['user-agent'] ?? '').startsWith(HEALTH_CHECKER_AGENT);
    try {
      visits = method === 'HEAD' || method === 'OPTIONS' || isHealthCheck
        ? await readVisits(tableName)
        : await countVisit(tableName);
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return respond(503, json, { error: `state unavailable in ${region}: ${message}`, region, role });
    }
  }

  const state: PageState = { region, role, visits, method, path };
  return respond(200, json, { ...state });
}

async function countVisit(tableName: string): Promise<number> {
  const out = await dynamodb.send(new UpdateItemCommand({
    TableName: tableName,
    Key: COUNTER_KEY,
    UpdateExpression: 'ADD visits :one',
    ExpressionAttributeValues: { ':one': { N: '1' } },
    ReturnValues: 'UPDATED_NEW',
  }));
  return Number(out.Attributes?.visits?.N ?? '0');
}

async function readVisits(tableName: string): Promise<number> {
  const out = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: COUNTER_KEY }));
  return Number(out.Item?.visits?.N ?? '0');
}

function lowerCaseHeaders(headers: { [name: string]: string | undefined } | undefined): { [name: string]: string | undefined } {
  const out: { [name: string]: string | undefined } = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    out[k.toLowerCase()] = v;
  }
  return out;
}

function respond(statusCode: number, json: boolean, body: { [key: string]: unknown }): APIGatewayProxyStructuredResultV2 {
  const common = {
    'cache-control': 'no-store',
    'x-served-region': String(body.region),
  };
  if (json) {
    return { statusCode, headers: { ...common, 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }
  return { statusCode, headers: { ...common, 'content-type': 'text/html; charset=utf-8' }, body: renderHtml(statusCode, body) };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] as string));
}

function renderHtml(statusCode: number, body: { [key: string]: unknown }): string {
  const rows = Object.entries(body)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v === null ? 'n/a' : String(v))}</td></tr>`)
    .join('');
  const title = statusCode === 200 ? `Served from ${String(body.region)}` : `Error ${statusCode}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>`
    + '<style>body{font-family:system-ui,sans-serif;margin:3rem}th{text-align:left;padding-right:1rem}</style></head>'
    + `<body><h1>${escapeHtml(title)}</h1><p>GlobalSsrSite bootstrap page: deploy your server code with the <code>ssr.code</code> prop.</p>`
    + `<table>${rows}</table></body></html>`;
}
