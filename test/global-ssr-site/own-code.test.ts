import * as fs from 'fs';
import * as path from 'path';
import { App, DockerImage, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { build } from './site-util';
import { nagErrors } from '../util/nag';

/**
 * Issue 18, item 1: your own SSR code (`ssr.code`) with a DR region. An asset belongs to the first stack it is bound
 * to (aws-cdk-lib's `AssetCode.bind` throws `AssetAlreadyAssociatedWithStack` for a second stack), and Lambda reads a
 * deployment package only from a bucket in the function's own region: "An Amazon S3 bucket in the same AWS Region as
 * your function" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-code.html).
 * So each regional stack must stage and publish its own copy, to its own region's bootstrap bucket.
 */
const FIXTURES = path.join(__dirname, 'fixtures');
const SERVER_JS = 'exports.handler = async () => ({ statusCode: 200, body: "bundled" });\n';

let bundlingRuns = 0;

/** A local bundling that writes the server (no Docker on these machines; the image is never pulled). */
function bundledCode(): lambda.Code {
  return lambda.Code.fromAsset(path.join(FIXTURES, 'ssr-server'), {
    bundling: {
      image: DockerImage.fromRegistry('none'),
      local: {
        tryBundle(outputDir: string) {
          bundlingRuns++;
          fs.writeFileSync(path.join(outputDir, 'index.js'), SERVER_JS);
          return true;
        },
      },
    },
  });
}

const CASES: Array<[string, () => lambda.Code]> = [
  ['a directory asset', () => lambda.Code.fromAsset(path.join(FIXTURES, 'ssr-server'))],
  ['a zip asset', () => lambda.Code.fromAsset(path.join(FIXTURES, 'ssr-server.zip'))],
  ['a bundled asset (local bundling)', bundledCode],
];

/** The SSR function's `Code` in a regional stack. */
function ssrCode(stack: Stack): { S3Bucket: unknown; S3Key: string } {
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('^GlobalSsrSite shop SSR') },
  });
  expect(Object.keys(fns)).toHaveLength(1);
  return (Object.values(fns)[0] as any).Properties.Code;
}

/** The file assets a stack publishes, from its asset manifest in the cloud assembly: object key → region. */
function publishedFiles(app: App, stack: Stack): Record<string, { bucketName: string; region: string }> {
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const manifestArtifact = assembly.artifacts.find((a) => a.id === `${stack.artifactId}.assets`)!;
  expect(artifact.dependencies.map((d) => d.id)).toContain(manifestArtifact.id);
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, (manifestArtifact.manifest.properties as any).file), 'utf8'));
  const out: Record<string, { bucketName: string; region: string }> = {};
  for (const file of Object.values<any>(manifest.files)) {
    for (const d of Object.values<any>(file.destinations)) {
      out[d.objectKey] = { bucketName: d.bucketName, region: d.region };
    }
  }
  return out;
}

describe('ssr.code: your own code with a DR region (issue 18, item 1)', () => {
  test.each(CASES)('%s: synthesis succeeds and each regional stack publishes the code to its own region', (_name, code) => {
    const app = new App();
    const site = build({ ssr: { code: code() } }, app);
    expect(() => app.synth()).not.toThrow();

    for (const [stack, region] of [[site.primaryStack, 'eu-west-1'], [site.drStack!, 'eu-central-1']] as const) {
      const c = ssrCode(stack);
      expect(c.S3Bucket).toBe(`cdk-hnb659fds-assets-123456789012-${region}`);
      expect(c.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
      expect(publishedFiles(app, stack)[c.S3Key]).toEqual({ bucketName: `cdk-hnb659fds-assets-123456789012-${region}`, region });
    }
    // Same content, so the same key in both regions' buckets.
    expect(ssrCode(site.drStack!).S3Key).toBe(ssrCode(site.primaryStack).S3Key);
  });

  test('the bundled asset carries the bundling output, not the source directory; bundling runs once for both regions', () => {
    bundlingRuns = 0;
    const b = new App();
    const bundled = build({ ssr: { code: bundledCode() } }, b);
    expect(bundlingRuns).toBe(1);
    const a = new App();
    const dir = build({ ssr: { code: lambda.Code.fromAsset(path.join(FIXTURES, 'ssr-server')) } }, a);
    expect(ssrCode(bundled.primaryStack).S3Key).not.toBe(ssrCode(dir.primaryStack).S3Key);
  });

  test('the Code you pass is never bound, so you can use it elsewhere too (e.g. in a stack of your own)', () => {
    const app = new App();
    const code = lambda.Code.fromAsset(path.join(FIXTURES, 'ssr-server'));
    build({ ssr: { code } }, app);
    const mine = new Stack(app, 'Mine', { env: { account: '123456789012', region: 'us-west-2' } });
    new lambda.Function(mine, 'Fn', { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
    expect(() => app.synth()).not.toThrow();
  });

  test('inline code is still used as given in both regions', () => {
    const site = build({ ssr: { code: lambda.Code.fromInline('exports.handler = async () => ({})') } });
    expect(ssrCode(site.primaryStack)).toEqual({ ZipFile: 'exports.handler = async () => ({})' });
    expect(ssrCode(site.drStack!)).toEqual({ ZipFile: 'exports.handler = async () => ({})' });
  });

  test('cdk-nag: no unsuppressed findings in the regional stacks with an asset', () => {
    const site = build({ ssr: { code: lambda.Code.fromAsset(path.join(FIXTURES, 'ssr-server.zip')) } });
    expect(nagErrors(site.primaryStack)).toEqual([]);
    expect(nagErrors(site.drStack!)).toEqual([]);
  });
});
