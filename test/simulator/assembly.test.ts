import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { artifactIdOf, tmpAssemblyDir, writeAssembly } from './fixtures';
import { readAssembly, SimulatorInputError } from '../../src/simulator/assembly';
import { simulateStacks } from '../../src/simulator/simulate';

const TOPIC = { T: { Type: 'AWS::SNS::Topic' } };

/** The SimulatorInputError message `f` throws (fails the test on any other error). */
function inputError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SimulatorInputError);
    return (e as Error).message;
  }
  return 'nothing was thrown';
}

/** Node's own JSON.parse message for `text` (it differs between Node versions). */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`valid JSON: ${text}`);
}

describe('readAssembly: bad input', () => {
  test('missing directory', () => {
    const dir = path.join(tmpAssemblyDir(), 'nothing-here');
    expect(inputError(() => readAssembly(dir))).toBe(`cannot read the cloud assembly manifest: ${dir}/manifest.json (ENOENT)`);
  });

  test('a directory without manifest.json (e.g. the project root instead of cdk.out)', () => {
    const dir = tmpAssemblyDir();
    expect(inputError(() => readAssembly(dir))).toBe(`cannot read the cloud assembly manifest: ${dir}/manifest.json (ENOENT)`);
  });

  test('corrupt manifest: not JSON', () => {
    const dir = tmpAssemblyDir();
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"version": "53.0.0", "artifacts": {');
    expect(inputError(() => readAssembly(dir)))
      .toBe(`the cloud assembly manifest is not valid JSON: ${dir}/manifest.json (${jsonError('{"version": "53.0.0", "artifacts": {')})`);
  });

  test('corrupt manifest: JSON but not an object', () => {
    const dir = tmpAssemblyDir();
    fs.writeFileSync(path.join(dir, 'manifest.json'), '[1, 2]');
    expect(inputError(() => readAssembly(dir))).toBe(`${dir}/manifest.json is not a cloud assembly manifest (expected a JSON object)`);
  });

  test('corrupt template', () => {
    const dir = writeAssembly(tmpAssemblyDir(), [{ name: 'Api', region: 'us-east-1', resources: TOPIC }]);
    const file = path.join(dir, `${artifactIdOf('Api')}.template.json`);
    fs.writeFileSync(file, '{"Resources": ');
    expect(inputError(() => readAssembly(dir))).toBe(`the template of stack Api is not valid JSON: ${file} (${jsonError('{"Resources": ')})`);
  });

  test('missing template', () => {
    const dir = writeAssembly(tmpAssemblyDir(), [{ name: 'Api', region: 'us-east-1', resources: TOPIC }]);
    const file = path.join(dir, `${artifactIdOf('Api')}.template.json`);
    fs.rmSync(file);
    expect(inputError(() => readAssembly(dir))).toBe(`cannot read the template of stack Api: ${file} (ENOENT)`);
  });

  test('a stack artifact without a templateFile, and a nested assembly without a directoryName', () => {
    const dir = tmpAssemblyDir();
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ artifacts: { Api: { type: 'aws:cloudformation:stack', properties: {} } } }));
    expect(inputError(() => readAssembly(dir))).toBe(`stack Api in ${dir} has no properties.templateFile`);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ artifacts: { 'assembly-Prod': { type: 'cdk:cloud-assembly', properties: {} } } }));
    expect(inputError(() => readAssembly(dir))).toBe(`nested assembly assembly-Prod in ${dir} has no properties.directoryName`);
  });

  test('a nested assembly whose directory is missing', () => {
    const dir = writeAssembly(tmpAssemblyDir(), [{ name: 'Api', region: 'us-east-1', resources: TOPIC }], { nestedStage: 'Prod' });
    fs.rmSync(path.join(dir, 'assembly-Prod'), { recursive: true });
    expect(inputError(() => readAssembly(dir))).toBe(`cannot read the cloud assembly manifest: ${dir}/assembly-Prod/manifest.json (ENOENT)`);
  });
});

describe('readAssembly: stacks and their regions', () => {
  test('stacks of a nested Stage assembly (fixture) are read with their environment', () => {
    const dir = writeAssembly(tmpAssemblyDir(), [
      { name: 'Prod-Api-east', region: 'us-east-1', resources: TOPIC },
      { name: 'Prod-Api-west', region: 'us-west-2', account: '222222222222', resources: TOPIC },
    ], { nestedStage: 'Prod' });
    expect(readAssembly(dir).map(({ template, ...s }) => s)).toEqual([
      { artifactId: 'ProdProdApieast', stackName: 'Prod-Api-east', displayName: 'Prod/Prod-Api-east', account: '111111111111', region: 'us-east-1' },
      { artifactId: 'ProdProdApiwest', stackName: 'Prod-Api-west', displayName: 'Prod/Prod-Api-west', account: '222222222222', region: 'us-west-2' },
    ]);
  });

  test('an assembly synthesized by the CDK with a Stage (nested cloud assembly) and a top-level stack', () => {
    const outdir = tmpAssemblyDir();
    const app = new App({ outdir });
    const stage = new Stage(app, 'Prod', { env: { account: '111111111111', region: 'us-east-1' } });
    new sns.Topic(new Stack(stage, 'Api', { env: { account: '111111111111', region: 'us-west-2' } }), 'T');
    new sns.Topic(new Stack(stage, 'Db'), 'T');
    new sns.Topic(new Stack(app, 'Global', { env: { account: '111111111111', region: 'us-east-1' } }), 'T');
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
    expect(manifest.artifacts['assembly-Prod']).toEqual({ type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod', displayName: 'Prod' } });

    const stacks = readAssembly(outdir);
    expect(stacks.map((s) => [s.stackName, s.displayName, s.region])).toEqual([
      ['Prod-Api', 'Prod/Api', 'us-west-2'],
      // a stack without env inherits the Stage's environment
      ['Prod-Db', 'Prod/Db', 'us-east-1'],
      ['Global', 'Global', 'us-east-1'],
    ]);
    expect(Object.values<any>(stacks[0].template.Resources).map((r) => r.Type)).toEqual(['AWS::SNS::Topic']);
  });

  test('environment-agnostic stacks have no region and get a warning finding', () => {
    const dir = writeAssembly(tmpAssemblyDir(), [
      { name: 'Agnostic', resources: TOPIC },
      { name: 'Placed', region: 'us-east-1', resources: TOPIC },
    ]);
    const stacks = readAssembly(dir);
    expect(stacks.map((s) => [s.stackName, s.region, s.account])).toEqual([['Agnostic', undefined, undefined], ['Placed', 'us-east-1', '111111111111']]);
    expect(simulateStacks(stacks, { outage: 'us-east-1' }).findings).toEqual([{
      severity: 'warning',
      resource: 'Agnostic',
      message: 'environment-agnostic stack: its region is unknown, so the simulator cannot tell whether the outage takes it down',
    }]);
  });
});

describe('simulateStacks: bad options', () => {
  const stacks = () => readAssembly(writeAssembly(tmpAssemblyDir(), [{ name: 'Api', region: 'us-east-1', resources: TOPIC }]));

  test('unknown region', () => {
    expect(inputError(() => simulateStacks(stacks(), { outage: 'us-east-9' })))
      .toBe("unknown region 'us-east-9': not an AWS region this library knows, and no stack of the assembly is in it");
    expect(inputError(() => simulateStacks(stacks(), { outage: '' })))
      .toBe("unknown region '': not an AWS region this library knows, and no stack of the assembly is in it");
  });

  test('a region AWS added after this library\'s region list is accepted when a stack of the assembly is in it', () => {
    const dir = writeAssembly(tmpAssemblyDir(), [{ name: 'New', region: 'xx-newregion-1', resources: TOPIC }]);
    expect(simulateStacks(readAssembly(dir), { outage: 'xx-newregion-1' }).outage).toEqual({ region: 'xx-newregion-1', startsAt: 0 });
  });

  test('horizon and propagation allowance', () => {
    expect(inputError(() => simulateStacks(stacks(), { outage: 'us-east-1', horizonSeconds: 0 }))).toBe('--horizon must be a positive number of seconds, got: 0');
    expect(inputError(() => simulateStacks(stacks(), { outage: 'us-east-1', propagationAllowanceSeconds: -1 })))
      .toBe('propagation allowance must be 0 or more seconds, got: -1');
  });
});
