import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SimulatedFlow, SimulationResult } from '../../src/simulator/types';

/** One stack of a hand-written cloud assembly. */
export interface FixtureStack {
  /** CloudFormation stack name (also the artifact id, without non-alphanumerics). */
  readonly name: string;
  /** Region of the stack's `environment`; omitted = environment-agnostic (`aws://unknown-account/unknown-region`). */
  readonly region?: string;
  /** Account of the stack's `environment`. Default: 111111111111 when `region` is set, else unknown. */
  readonly account?: string;
  /** Template `Resources`: `{ LogicalId: { Type, Properties, Metadata? } }`. */
  readonly resources: { [id: string]: any };
  /** Template `Outputs`. */
  readonly outputs?: any;
  /** Template `Parameters`. */
  readonly parameters?: any;
  /** Display name in the manifest. Default: the name (`<stage>/<name>` in a nested Stage). */
  readonly displayName?: string;
}

export interface FixtureOptions {
  /**
   * Put every stack into a nested assembly (a CDK Stage) of this name: the top manifest then holds only an artifact
   * `assembly-<stage>` of type `cdk:cloud-assembly` with `properties.directoryName`, as CDK writes it.
   */
  readonly nestedStage?: string;
}

const created: string[] = [];
// Under jest, each test file removes the directories it created when it ends.
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh empty temporary directory for an assembly (under jest: removed after the test file). */
export function tmpAssemblyDir(prefix: string = 'sim-asm-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A stack artifact id like CDK's: alphanumerics only. */
export function artifactIdOf(name: string, stage?: string): string {
  return `${stage ?? ''}${name}`.replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Writes a cloud assembly into `dir` (created when missing): `manifest.json` and one `<artifactId>.template.json` per
 * stack, in the shape `cdk synth` writes (schema version 53, `environment` `aws://<account>/<region>`).
 * Returns `dir`.
 */
export function writeAssembly(dir: string, stacks: FixtureStack[], options: FixtureOptions = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  const stage = options.nestedStage;
  if (stage === undefined) {
    writeManifest(dir, stacks);
    return dir;
  }
  const directoryName = `assembly-${stage}`;
  writeManifest(path.join(dir, directoryName), stacks, stage);
  writeJson(path.join(dir, 'manifest.json'), {
    version: '53.0.0',
    artifacts: {
      [directoryName]: { type: 'cdk:cloud-assembly', properties: { directoryName, displayName: stage } },
      Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
    },
  });
  return dir;
}

function writeManifest(dir: string, stacks: FixtureStack[], stage?: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const artifacts: { [id: string]: any } = {};
  for (const stack of stacks) {
    const id = artifactIdOf(stack.name, stage);
    const templateFile = `${id}.template.json`;
    const template: any = { Resources: stack.resources };
    if (stack.parameters) template.Parameters = stack.parameters;
    if (stack.outputs) template.Outputs = stack.outputs;
    writeJson(path.join(dir, templateFile), template);
    const account = stack.account ?? (stack.region ? '111111111111' : 'unknown-account');
    artifacts[id] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${account}/${stack.region ?? 'unknown-region'}`,
      properties: { templateFile, stackName: stack.name, validateOnSynth: false },
      displayName: stack.displayName ?? (stage ? `${stage}/${stack.name}` : stack.name),
    };
  }
  writeJson(path.join(dir, 'manifest.json'), { version: '53.0.0', artifacts });
}

function writeJson(file: string, value: any): void {
  fs.writeFileSync(file, JSON.stringify(value, undefined, 1));
}

/** A CloudWatch alarm on `namespace` `metricName` with one dimension, over 60 s periods; `properties` add to that or override it. */
export function cloudWatchAlarm(namespace: string, metricName: string, dimension: { Name: string; Value: any }, properties: any): any {
  return { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: namespace, MetricName: metricName, Dimensions: [dimension], Period: 60, ...properties } };
}

/** The result of an outage of `region` starting at t = 0. */
export function resultOf(region: string, flows: SimulatedFlow[], findings: SimulationResult['findings'] = []): SimulationResult {
  return { outage: { region, startsAt: 0 }, flows, findings };
}

/**
 * A DNS flow api.example.com failing over from us-east-1 to us-west-2: 10 s × 3 + 6 s probe timeout = 36 s detection;
 * + 10 s propagation = 46 s; + 60 s TTL = 106 s (typical 90 s). `events`: the texts of its timeline at 0 s (failing),
 * 0 s (detection), 36 s (propagation), 46 s and 106 s (recovered, served by us-west-2).
 */
export function dnsFailoverFlow(events: [string, string, string, string, string]): SimulatedFlow {
  return {
    id: 'dns:api.example.com',
    kind: 'dns',
    name: 'api.example.com',
    impacted: true,
    fromRegion: 'us-east-1',
    toRegion: 'us-west-2',
    recoveredAtSeconds: 106,
    typicalSeconds: 90,
    blockedBy: [],
    timeline: [
      { t: 0, event: events[0], phase: 'failing' },
      { t: 0, event: events[1], phase: 'detection' },
      { t: 36, event: events[2], phase: 'propagation' },
      { t: 46, event: events[3] },
      { t: 106, event: events[4], phase: 'recovered', region: 'us-west-2' },
    ],
  };
}
