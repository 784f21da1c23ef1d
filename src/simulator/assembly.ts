import * as fs from 'fs';
import * as path from 'path';

/** Bad input to the simulator (missing or corrupt assembly, unknown region): the CLI exits 2. @internal */
export class SimulatorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorInputError';
    Object.setPrototypeOf(this, SimulatorInputError.prototype);
  }
}

/** One CloudFormation stack of a cloud assembly. @internal */
export interface StackInput {
  /** Artifact id in the manifest. */
  readonly artifactId: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** Display name (construct path), e.g. `ExampleApi/us-east-1`. */
  readonly displayName: string;
  /** Region from the stack's `environment`, or undefined when environment-agnostic. */
  readonly region?: string;
  /** Account from the stack's `environment`, or undefined. */
  readonly account?: string;
  /** The parsed template. */
  readonly template: any;
}

/**
 * Every stack of the cloud assembly in `dir`, nested assemblies (Stages) included, in manifest order.
 * Reads only `manifest.json` and the templates; never runs code.
 * @internal
 */
export function readAssembly(dir: string): StackInput[] {
  const stacks: StackInput[] = [];
  readInto(path.resolve(dir), stacks, new Set());
  return stacks;
}

function readInto(dir: string, stacks: StackInput[], seen: Set<string>): void {
  if (seen.has(dir)) return;
  seen.add(dir);
  const manifest = readJson(path.join(dir, 'manifest.json'), 'cloud assembly manifest');
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new SimulatorInputError(`${path.join(dir, 'manifest.json')} is not a cloud assembly manifest (expected a JSON object)`);
  }
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact?.type === 'cdk:cloud-assembly') {
      const nested = artifact.properties?.directoryName;
      if (typeof nested !== 'string') {
        throw new SimulatorInputError(`nested assembly ${artifactId} in ${dir} has no properties.directoryName`);
      }
      readInto(path.join(dir, nested), stacks, seen);
    } else if (artifact?.type === 'aws:cloudformation:stack') {
      stacks.push(readStack(dir, artifactId, artifact));
    }
  }
}

function readStack(dir: string, artifactId: string, artifact: any): StackInput {
  const templateFile = artifact.properties?.templateFile;
  if (typeof templateFile !== 'string') {
    throw new SimulatorInputError(`stack ${artifactId} in ${dir} has no properties.templateFile`);
  }
  const template = readJson(path.join(dir, templateFile), `template of stack ${artifactId}`);
  const env = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(String(artifact.environment ?? ''));
  const known = (v: string | undefined) => (v && !v.startsWith('unknown-') ? v : undefined);
  return {
    artifactId,
    stackName: artifact.properties?.stackName ?? artifactId,
    displayName: artifact.displayName ?? artifactId,
    account: known(env?.[1]),
    region: known(env?.[2]),
    template: typeof template === 'object' && template !== null ? template : {},
  };
}

function readJson(file: string, what: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e: any) {
    throw new SimulatorInputError(`cannot read the ${what}: ${file} (${e.code ?? e.message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new SimulatorInputError(`the ${what} is not valid JSON: ${file} (${e.message})`);
  }
}
