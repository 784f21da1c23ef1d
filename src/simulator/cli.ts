import * as fs from 'fs';
import { readAssembly, SimulatorInputError } from './assembly';
import { formatReport } from './report';
import { simulateStacks } from './simulate';
import { renderSvg } from './svg';
import { SimulationOptions, toJsonDocument } from './types';

/** The package's command (package.json `bin`). @internal */
export const COMMAND = 'cdk-multi-region-failover';

/** Where the CLI writes; tests pass their own. @internal */
export interface CliIo {
  /** Standard output. */
  readonly out: (text: string) => void;
  /** Standard error. */
  readonly err: (text: string) => void;
}

/** Exit statuses: 0 success, 1 internal error (a bug: please report it), 2 bad input. @internal */
export const EXIT_OK = 0;
/** @internal */
export const EXIT_INTERNAL = 1;
/** @internal */
export const EXIT_BAD_INPUT = 2;

/** `--help`. @internal */
export const USAGE = `Usage: ${COMMAND} simulate <assembly-dir> --outage <region> [options]

Offline game day: reads a CDK cloud assembly (cdk.out: manifest.json, nested Stage assemblies and every
stack template), takes one region down at t = 0 and reports when each traffic and data flow moves, what
blocks it, and its timeline. Needs no AWS account.

Options:
  --outage <region>               the region that fails (required), e.g. us-east-1
  --json                          print only the JSON document on stdout
  --svg <file>                    also write a timeline picture (SVG) to <file>
  --horizon <seconds>             how far to look ahead (default 3600)
  --propagation <seconds>         health checker to Route 53 DNS propagation allowance, an assumption
                                  (default 10, the constructs' estimates use the same)
  --endpoint-region <host=region> the region of an endpoint the assembly cannot place (repeatable)
  -h, --help                      show this help

Exit status: 0 when the simulation ran, 2 for bad input (missing or corrupt assembly, unknown region,
bad options), 1 for an internal error.
`;

/** Parsed `simulate` arguments. @internal */
export interface SimulateArgs {
  readonly assemblyDir: string;
  readonly options: SimulationOptions;
  readonly json: boolean;
  readonly svg?: string;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * Runs the command line `argv` (without `node` and the script, i.e. `process.argv.slice(2)`) and returns the exit
 * status. Writes only through `io`; never calls `process.exit`.
 * @internal
 */
export function main(argv: string[], io: CliIo = defaultIo): number {
  try {
    if (argv.length === 0) throw new SimulatorInputError(`missing subcommand: try '${COMMAND} simulate <assembly-dir> --outage <region>' or '${COMMAND} --help'`);
    if (argv.some((a) => a === '--help' || a === '-h') || argv[0] === 'help') {
      io.out(USAGE);
      return EXIT_OK;
    }
    if (argv[0] !== 'simulate') throw new SimulatorInputError(`unknown subcommand '${argv[0]}': the only subcommand is 'simulate' (see --help)`);
    const args = parseSimulateArgs(argv.slice(1));
    const result = simulateStacks(readAssembly(args.assemblyDir), args.options);
    if (args.svg !== undefined) writeSvg(args.svg, renderSvg(result));
    if (args.json) {
      io.out(JSON.stringify(toJsonDocument(result), undefined, 2) + '\n');
    } else {
      io.out(formatReport(result));
      if (args.svg !== undefined) io.out(`\nTimeline picture: ${args.svg}\n`);
    }
    return EXIT_OK;
  } catch (e: any) {
    if (e instanceof SimulatorInputError) {
      io.err(`${COMMAND}: ${oneLine(e.message)}\n`);
      return EXIT_BAD_INPUT;
    }
    io.err(`${COMMAND}: internal error: ${oneLine(String(e?.message ?? e))} (please report it with the command line)\n`);
    return EXIT_INTERNAL;
  }
}

/** Parses the arguments after `simulate`; throws `SimulatorInputError` on anything it does not understand. @internal */
export function parseSimulateArgs(args: string[]): SimulateArgs {
  const positional: string[] = [];
  const endpointRegions: { [host: string]: string } = {};
  let outage: string | undefined;
  let horizon: number | undefined;
  let propagation: number | undefined;
  let svg: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new SimulatorInputError(`${flag} needs a value (see --help)`);
      i++;
      return next;
    };
    switch (flag) {
      case '--json':
        if (eq > 0) throw new SimulatorInputError(`--json takes no value, got: ${arg}`);
        json = true;
        break;
      case '--outage':
        outage = value();
        break;
      case '--svg':
        svg = value();
        if (svg === '') throw new SimulatorInputError('--svg needs a file name');
        break;
      case '--horizon':
        horizon = parseHorizon(value());
        break;
      case '--propagation':
        propagation = parseSeconds('--propagation', value(), true);
        break;
      case '--endpoint-region': {
        const [host, region] = parseEndpointRegion(value());
        endpointRegions[host] = region;
        break;
      }
      default:
        throw new SimulatorInputError(`unknown option '${flag}' (see --help)`);
    }
  }
  if (positional.length === 0) throw new SimulatorInputError('missing <assembly-dir>: the cloud assembly directory, e.g. cdk.out');
  if (positional.length > 1) throw new SimulatorInputError(`expected one <assembly-dir>, got ${positional.length}: ${positional.join(' ')}`);
  if (outage === undefined) throw new SimulatorInputError('missing --outage <region>, e.g. --outage us-east-1');
  return {
    assemblyDir: positional[0],
    options: { outage, horizonSeconds: horizon, propagationAllowanceSeconds: propagation, endpointRegions },
    json,
    svg,
  };
}

function parseHorizon(text: string): number {
  return parseSeconds('--horizon', text, false);
}

function parseSeconds(flag: string, text: string, zeroAllowed: boolean): number {
  const n = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed)) {
    throw new SimulatorInputError(`${flag} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number of seconds, got: ${text}`);
  }
  return n;
}

/** `host=region`; the host is kept as given, lower case, without scheme, path or trailing dot. */
function parseEndpointRegion(text: string): [string, string] {
  const m = /^(?:[a-z]+:\/\/)?([^=/\s]+?)\.?(?:\/[^=]*)?=([a-z]{2}(?:-[a-z]+)+-\d+)$/i.exec(text.trim());
  if (!m) throw new SimulatorInputError(`--endpoint-region must be host=region (e.g. origin.example.net=us-east-1), got: ${text}`);
  return [m[1].toLowerCase(), m[2].toLowerCase()];
}

function writeSvg(file: string, svg: string): void {
  try {
    fs.writeFileSync(file, svg);
  } catch (e: any) {
    throw new SimulatorInputError(`cannot write the --svg file ${file} (${e.code ?? e.message})`);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
