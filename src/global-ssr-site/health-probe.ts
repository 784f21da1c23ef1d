/**
 * One HTTP probe through CloudFront, shared by the write-failover handlers (flip and reconciler).
 * @internal
 */

/** Reads a whole number of at least `min` from the environment, or `fallback` when unset. @internal */
export function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}, got: ${raw}`);
  }
  return value;
}

/**
 * One probe: true for a 2xx/3xx answer within the timeout (Route 53's rule for HTTP checks:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
 * @internal
 */
export async function probeOnce(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return res.status >= 200 && res.status < 400;
  } catch (e) {
    console.log(JSON.stringify({ probe: 'failed', url, error: errorText(e) }));
    return false;
  }
}

/** `name: message` of an error, or the thrown value as text. @internal */
export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
