import { createHash } from 'crypto';
import type { CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';

/**
 * Origin-request Lambda@Edge function (include body) of a `GlobalSsrSite` with `SsrWriteSigning.EDGE_BODY_HASH`.
 *
 * CloudFront origin access control signs requests to a Lambda function URL with SigV4, and Lambda does not accept
 * unsigned payloads: a PUT or POST must carry the SHA-256 of its body in `x-amz-content-sha256`, which a plain
 * browser form never sends.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html
 * This function computes the hash of the body CloudFront exposes and sets the header (replacing any value the
 * viewer sent), so that OAC signs the request with the right payload hash.
 *
 * Lambda@Edge exposes at most 1 MB of the body to an origin-request function and flags a longer one as truncated
 * (`inputTruncated`): its hash cannot be computed, so such a request gets 413 here.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html#lambda-at-edge-restrictions-request-body
 */

/** The header Lambda needs for a signed payload. */
export const CONTENT_SHA256_HEADER = 'x-amz-content-sha256';
/** Methods that never carry a body through this site: their hash (of nothing) is added by OAC itself. */
const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The hex SHA-256 of the request body CloudFront exposed (base64 or text), empty when there is none. */
export function bodySha256(request: CloudFrontRequest): string {
  const body = request.body;
  const data = body?.data
    ? Buffer.from(body.data, body.encoding === 'text' ? 'utf8' : 'base64')
    : Buffer.alloc(0);
  return createHash('sha256').update(data).digest('hex');
}

/** The response for a body longer than Lambda@Edge exposes. */
export const TOO_LARGE: CloudFrontResultResponse = {
  status: '413',
  statusDescription: 'Payload Too Large',
  headers: {
    'content-type': [{ key: 'Content-Type', value: 'text/plain; charset=utf-8' }],
    'cache-control': [{ key: 'Cache-Control', value: 'no-store' }],
  },
  body: 'Request body too large: this site accepts request bodies up to 1 MB.',
};

export async function handler(event: CloudFrontRequestEvent): Promise<CloudFrontRequest | CloudFrontResultResponse> {
  const request = event.Records[0].cf.request;
  if (BODYLESS.has(request.method)) {
    return request;
  }
  if (request.body?.inputTruncated) {
    return TOO_LARGE;
  }
  request.headers[CONTENT_SHA256_HEADER] = [{ key: 'x-amz-content-sha256', value: bodySha256(request) }];
  return request;
}
