import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { dbReaderCode } from '../../examples/db-reader/code';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Synthesizes a stack with one function on `dbReaderCode()`; returns the asset's hash and its `index.js`. */
function synth(): { key: string; bundle: string; assetDir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-reader-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Reader', { env: { account: '111111111111', region: 'eu-west-1' } });
  new lambda.Function(stack, 'Fn', { code: dbReaderCode(), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
  app.synth();
  const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
  const key = fn.Properties.Code.S3Key as string;
  const assetDir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  return { key, bundle: fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8'), assetDir };
}

describe('dbReaderCode()', () => {
  const first = synth();

  test('bundles the handler with node-postgres inside and the AWS SDK left to the runtime', () => {
    expect(fs.readdirSync(first.assetDir)).toEqual(['index.js']);
    expect(first.bundle).toContain('node_modules/pg-pool/index.js');
    expect(first.bundle).toContain('node_modules/pg/lib/client.js');
    expect(first.bundle).not.toMatch(/require\("pg(-pool)?"\)/);
    expect(first.bundle).toContain('require("@aws-sdk/client-secrets-manager")');
    expect(first.bundle).not.toContain(PROJECT_ROOT);
    expect(first.bundle).not.toContain('sourceMappingURL');
  });

  test('the bundle loads and answers without pg installed next to it (the runtime resolves only @aws-sdk)', () => {
    // The asset lives outside the project, so `require("pg")` could not resolve there: only the SDK is on NODE_PATH,
    // through a directory that holds nothing but `@aws-sdk`.
    const sdkOnly = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-only-'));
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules', '@aws-sdk'), path.join(sdkOnly, '@aws-sdk'));
    const script = [
      `const m = require(${JSON.stringify(path.join(first.assetDir, 'index.js'))});`,
      'm.handler({ httpMethod: "GET", resource: "/nope", path: "/nope", headers: {} })',
      '  .then((r) => process.stdout.write(JSON.stringify(r)));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH, NODE_PATH: sdkOnly, AWS_REGION: 'eu-west-1' },
      encoding: 'utf8',
    });
    const res = JSON.parse(out);
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ message: 'route not found: GET /nope' });
  });

  test('is deterministic: a second synth gives the same asset hash and bytes', () => {
    const second = synth();
    expect(second.key).toBe(first.key);
    expect(second.bundle).toBe(first.bundle);
  });
});
