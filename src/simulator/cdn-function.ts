import { SimulationContext } from './context';
import { ResourceNode } from './graph';

/**
 * What a viewer-request CloudFront Function does to the origin of a request, as far as its code shows:
 * - `cf.createRequestOriginGroup({ originIds, failoverCriteria: { statusCodes } })` builds a per-request origin group
 *   (same failover semantics as a distribution's origin group: GET, HEAD and OPTIONS only);
 * - `cf.selectRequestOriginById(id)` in a function that reads a KeyValueStore (`cf.kvs(…).get(key)`) routes every
 *   method to `id` while the flag says so;
 * - a `selectRequestOriginById(a ? b : c)` pins exact URIs (health probe paths) to one origin.
 * Arguments may be literals or properties of a `var NAME = { …JSON… };` object of the code.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/helper-functions-origin-modification.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/kvs-with-functions-kvp.html
 * @internal
 */
export interface EdgeRouting {
  readonly fn: ResourceNode;
  /** The per-request origin group for GET/HEAD/OPTIONS, when the code builds one. */
  readonly group?: { readonly originIds: string[]; readonly statusCodes: number[] };
  /** Flag routing: every request goes to `originId` while the KeyValueStore key says so. */
  readonly flag?: { readonly originId: string; readonly key?: string; readonly kvs?: ResourceNode };
  /** The function's code, resolved (to find pinned exact paths). */
  readonly code: string;
}

/** Reads the code of a CloudFront Function of the assembly. @internal */
export function analyzeFunction(ctx: SimulationContext, fn: ResourceNode): EdgeRouting {
  const code = ctx.graph.text(fn.properties.FunctionCode, fn.stack).text;
  const vars = configObjects(code);
  const resolve = (expr: string) => resolveExpr(expr, vars);

  let group: EdgeRouting['group'];
  const groupCall = callArgument(code, 'createRequestOriginGroup');
  if (groupCall !== undefined) {
    const ids = /originIds\s*:\s*\[([^\]]*)\]/.exec(groupCall)?.[1] ?? '';
    const originIds = ids.split(',').map((e) => resolve(e)).filter((v): v is string => typeof v === 'string');
    const codesExpr = /statusCodes\s*:\s*(\[[^\]]*\]|[\w.$]+)/.exec(groupCall)?.[1];
    const codes = codesExpr === undefined ? undefined : resolve(codesExpr);
    group = { originIds, statusCodes: Array.isArray(codes) ? codes.map(Number) : [] };
  }

  let flag: EdgeRouting['flag'];
  if (/\.kvs\s*\(/.test(code)) {
    const routed = allCallArguments(code, 'selectRequestOriginById').filter((a) => !a.includes('?')).map((a) => resolve(a));
    const originId = routed.find((v): v is string => typeof v === 'string');
    if (originId !== undefined) {
      const keyExpr = /\.get\s*\(([^)]*)\)/.exec(code)?.[1];
      const key = keyExpr === undefined ? undefined : resolve(keyExpr);
      const association = (fn.properties.FunctionConfig?.KeyValueStoreAssociations ?? [])[0];
      const kvs = association ? ctx.graph.target(association.KeyValueStoreARN, fn.stack) : undefined;
      flag = { originId, key: typeof key === 'string' ? key : undefined, kvs };
    }
  }
  return { fn, group, flag, code };
}

/**
 * Whether the function handles the exact viewer path `pattern` itself (the path appears as a string in its code):
 * such behaviors are health probe paths pinned to one origin, not user traffic.
 * @internal
 */
export function pinsPath(routing: EdgeRouting, pattern: string): boolean {
  if (/[*?]/.test(pattern)) return false;
  return routing.code.includes(`"${pattern}"`) || routing.code.includes(`'${pattern}'`);
}

/** `var NAME = {…};` objects of the code that parse as JSON. */
function configObjects(code: string): Map<string, any> {
  const vars = new Map<string, any>();
  const re = /\b(?:var|const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(\{[^;]*\})\s*;/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    try {
      vars.set(m[1], JSON.parse(m[2]));
    } catch {
      // not a JSON object literal: not configuration this reader can follow
    }
  }
  return vars;
}

/** A literal, a JSON array, or `NAME.prop` of a config object; undefined when the code computes it. */
function resolveExpr(expr: string, vars: Map<string, any>): any {
  const e = expr.trim();
  const quoted = /^(['"])(.*)\1$/.exec(e);
  if (quoted) return quoted[2];
  if (/^\[.*\]$/s.test(e)) {
    try {
      return JSON.parse(e.replace(/'/g, '"'));
    } catch {
      return undefined;
    }
  }
  const member = /^([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)$/.exec(e);
  if (member && vars.has(member[1])) return vars.get(member[1])?.[member[2]];
  return undefined;
}

/** The text between the parentheses of the first call of `name`. */
function callArgument(code: string, name: string): string | undefined {
  return allCallArguments(code, name)[0];
}

/** The argument text of every call of `name` (balanced parentheses). */
function allCallArguments(code: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`\\b${name}\\s*\\(`, 'g');
  for (let m = re.exec(code); m; m = re.exec(code)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < code.length && depth > 0; i++) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')') depth--;
    }
    out.push(code.slice(start, i - 1));
  }
  return out;
}
