import { execFileSync } from 'child_process';
import * as path from 'path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** This folder (the handler's source) and the project root, whose `node_modules` has esbuild and `pg`. */
const SOURCE_DIR = __dirname;
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The example handler (`index.handler`, Node.js 22) as a Lambda asset: `index.ts` bundled by esbuild into one
 * `index.js`, `pg` inside it, `@aws-sdk/*` left to the runtime, which provides the AWS SDK for JavaScript v3
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included).
 *
 * Bundling is local (the project's esbuild): no Docker. `image` is there only because `BundlingOptions` requires one;
 * it is never pulled, since local bundling either succeeds or throws (a Docker fallback could not see the
 * project's `node_modules`). The bundle has no source map, no legal comments and, esbuild running in the project
 * root, only root-relative paths in its comments: the same sources give the same bytes, so the asset hash
 * (`OUTPUT`: a hash of the bundle, which also changes when `pg` does) is the same at every synth.
 */
export function dbReaderCode(): lambda.Code {
  return lambda.Code.fromAsset(SOURCE_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
      local: {
        tryBundle(outputDir: string): boolean {
          bundleDbReader(outputDir);
          return true;
        },
      },
    },
  });
}

/** Runs esbuild: `examples/db-reader/index.ts` → `<outputDir>/index.js`. Throws with esbuild's output on failure. */
export function bundleDbReader(outputDir: string): void {
  const esbuild = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild');
  const args = [
    path.relative(PROJECT_ROOT, path.join(SOURCE_DIR, 'index.ts')),
    '--bundle',
    '--platform=node',
    '--target=node22',
    '--format=cjs',
    '--external:@aws-sdk/*',
    // pg loads its optional native binding only when asked for (`pg.native`); this handler never asks.
    '--external:pg-native',
    '--legal-comments=none',
    '--log-level=warning',
    `--outfile=${path.join(outputDir, 'index.js')}`,
  ];
  try {
    execFileSync(esbuild, args, { cwd: PROJECT_ROOT, stdio: 'pipe' });
  } catch (err) {
    const e = err as { stderr?: Buffer; message?: string };
    throw new Error(`esbuild failed to bundle examples/db-reader/index.ts: ${e.stderr?.toString().trim() || e.message}`);
  }
}
