import { awscdk, github, javascript, release, ReleasableCommits } from 'projen';

/**
 * Version pins that this project's package mirror can install together.
 * See ../shared/FACTS.md before changing any of them.
 */
const CDK_VERSION = '2.245.0';
const INTEG_TESTS_ALPHA = `${CDK_VERSION}-alpha.0`;
const INTEG_RUNNER = '2.197.10';
/**
 * Node.js 22 LTS: GitHub workflows run on it (the release's commit-and-tag-version needs Node >= 22), and
 * `.ci/node22.sh` installs this exact binary from the npm registry (`node-<platform>-<arch>`, the package that
 * `node@<version>` installs) to run `projen test` on it.
 */
const NODE_LTS = '22.23.3';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-multi-region-failover',
  description:
    'AWS CDK L3 constructs for multi-region, automatic-failover architectures: Route 53 failover DNS, multi-region APIs, CloudFront SSR sites with origin failover and Aurora global databases, each with a computed RTO/RPO.',
  author: 'cdk-multi-region-failover contributors',
  authorAddress: 'maintainers@cdk-multi-region-failover.dev',
  repositoryUrl: 'https://github.com/cdk-multi-region-failover/cdk-multi-region-failover.git',
  license: 'Apache-2.0',
  keywords: ['awscdk', 'cdk', 'aws-cdk', 'multi-region', 'failover', 'disaster-recovery', 'route53', 'cloudfront', 'aurora', 'dynamodb'],
  stability: 'experimental',
  // The outage simulator's command (issue 12): `npx cdk-multi-region-failover simulate cdk.out --outage us-east-1`.
  // jsii-pacmak turns package.json bins into console scripts of the Python wheel.
  bin: { 'cdk-multi-region-failover': 'lib/simulator/bin.js' },

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  tsconfigDevFile: 'tsconfig.dev.json',
  // engines: node >= 20 like aws-cdk-lib 2.245; tested on Node 20 (this machine) and on Node 22 LTS (workflows, .ci/node22.sh).
  minNodeVersion: '20.0.0',
  workflowNodeVersion: NODE_LTS,

  // `.ci/run` is the gate here. On GitHub, projen generates build.yml (PRs: build + every gate of test:all, see
  // the end of this file) and release.yml (main: versions from conventional commits, CHANGELOG, publib to npm,
  // PyPI, Maven Central and Go). Secrets are the ones projen names (NPM_TOKEN, TWINE_*, MAVEN_*, GO_GITHUB_TOKEN).
  github: true,
  release: true,
  majorVersion: 0,
  releaseTrigger: release.ReleaseTrigger.continuous(),
  // Only feat/fix commits (with `!` or a BREAKING CHANGE footer for breaking ones) make a release; docs, test, chore do not.
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  // PR builds install with `npm ci` like `.ci/run` and fail on any file the build changes (no self-mutation commits).
  buildWorkflowOptions: { mutableBuild: false },
  githubOptions: {
    mergify: false,
    // PR titles become the squash-merge commit, which the release reads: the conventional types this repo uses.
    pullRequestLintOptions: {
      semanticTitleOptions: { types: ['feat', 'fix', 'docs', 'test', 'refactor', 'perf', 'build', 'ci', 'chore', 'revert'] },
    },
  },
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,

  publishToPypi: {
    distName: 'cdk-multi-region-failover',
    module: 'cdk_multi_region_failover',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkmultiregionfailover',
    mavenGroupId: 'io.github.cdk-multi-region-failover',
    mavenArtifactId: 'cdk-multi-region-failover',
  },
  // Go: jsii's `moduleName` names the repository publib-golang pushes the generated module to
  // (https://aws.github.io/jsii/user-guides/lib-author/configuration/targets/go). Like cdklabs libraries, it is the
  // source repository's owner/name (repositoryUrl) + `-go`, so generated code never lands on this repo's main branch.
  // Import path: github.com/cdk-multi-region-failover/cdk-multi-region-failover-go/cdkmultiregionfailover.
  publishToGo: {
    moduleName: 'github.com/cdk-multi-region-failover/cdk-multi-region-failover-go',
  },

  // Lambda handlers (`*.lambda.ts`) are bundled by esbuild into `assets/` at build time: no Docker.
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_22_X,
    bundlingOptions: {
      externals: ['@aws-sdk/*'],
      sourcemap: false,
    },
  },
  integrationTestAutoDiscover: false,

  // One typed-lint program for src, tests, examples, integ tests and the bench; the gate never rewrites files.
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'integ', 'bench', 'projenrc'],
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
    commandOptions: { fix: false },
    ignorePatterns: ['*.snapshot/', 'test/consumers/', 'cdk.out/'],
  },

  devDeps: [
    `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_ALPHA}`,
    `@aws-cdk/integ-runner@${INTEG_RUNNER}`,
    'aws-cdk@^2',
    'cdk-nag@^2.38',
    'fast-check@^4',
    'aws-sdk-client-mock@^4',
    'aws-sdk-client-mock-jest@^4',
    '@aws-sdk/client-dynamodb@^3',
    '@aws-sdk/lib-dynamodb@^3',
    '@aws-sdk/client-rds@^3',
    '@aws-sdk/client-route-53@^3',
    '@aws-sdk/client-sns@^3',
    '@aws-sdk/client-sfn@^3',
    '@aws-sdk/client-lambda@^3',
    '@aws-sdk/client-cloudfront-keyvaluestore@^3',
    '@aws-sdk/client-cloudwatch@^3',
    // the GlobalCache promotion handler (src/global-cache/promote.lambda.ts) and its tests
    '@aws-sdk/client-elasticache@^3',
    // bundled into the write-failover handler: the Lambda runtime has no SigV4a signer
    '@smithy/signature-v4a@^3',
    '@types/aws-lambda',
    'esbuild',
    // examples/db-reader: the example API handler that reads Aurora PostgreSQL (pg is bundled into its asset)
    'pg@^8',
    '@types/pg@^8',
    '@aws-sdk/client-secrets-manager@^3',
  ],

  jestOptions: {
    jestConfig: {
      // CI machines have 2 cores: jest's default (cores - 1) runs one worker. Two workers keep `.ci/run` well under its
      // 30-minute limit; the synth-heavy suites get a timeout that tolerates sharing the CPU.
      maxWorkers: 2,
      testTimeout: 60_000,
      coverageThreshold: {
        lines: 90,
      },
      coveragePathIgnorePatterns: ['/node_modules/', '/test/', '-function\\.ts$'],
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out', '/integ/', '/test/consumers/'],
    },
  },

  gitignore: [
    '/cdk.out/',
    '/integ/**/cdk.out/',
    '/integ/*.snapshot/asset.*/',
    '/bench/*.tmp/',
    '/.venv-cfn-lint/',
    '/.jsii-rosetta/',
    '.jsii.tabl.json',
    '/rosetta-out/',
  ],
});

for (const pattern of ['/examples/', '/integ/', '/bench/', '/.ci/', '/cdk.json', '/cdk.out/', '/.venv-cfn-lint/', '/.jsii-rosetta/', '/tsconfig.dev.json']) {
  project.npmignore?.exclude(pattern);
}

// Example app: the README's main command synthesizes it into ./cdk.out and prints a table.
const tsNode = 'ts-node --project tsconfig.dev.json --transpile-only';
const main = project.addTask('main', {
  description: 'Synthesize examples/app.ts into ./cdk.out (no AWS credentials) and print stacks, regions and recovery estimates',
});
main.spawn(project.bundler.bundleTask);
main.exec(`${tsNode} examples/main.ts`);

// Gates that run on top of `projen build` (which runs jest with coverage, eslint and cdk-nag tests).
const cfnLint = project.addTask('gate:cfn-lint', {
  description: 'cfn-lint every template of the example app in ./cdk.out (venv created on demand)',
});
cfnLint.exec('bash .ci/cfn-lint.sh cdk.out');

const integVerify = project.addTask('gate:integ', {
  description: 'Verify every integ test snapshot in integ/ offline (nothing is deployed)',
});
integVerify.exec('bash .ci/integ.sh verify');

const integUpdate = project.addTask('integ:update', {
  description: 'Rewrite integ snapshots without deploying (integ-runner --update-on-failed --dry-run)',
});
integUpdate.spawn(project.bundler.bundleTask);
integUpdate.exec('bash .ci/integ.sh update');

const integDeploy = project.addTask('integ:deploy', {
  description: 'Deploy every integ test to a REAL AWS account, run its failover assertions and destroy it (needs credentials; costs money)',
});
integDeploy.spawn(project.bundler.bundleTask);
integDeploy.exec('bash .ci/integ.sh deploy');

const rosetta = project.addTask('gate:rosetta', {
  description: 'Compile every README example with jsii-rosetta --strict (Python/Java translations must work)',
});
rosetta.exec('bash .ci/rosetta.sh');

const consumers = project.addTask('gate:consumers', {
  description: 'Install the built wheel, jar and Go module into tiny Python, Java and Go CDK apps and assert on their templates',
});
consumers.exec('bash test/consumers/run.sh');

// package:go: jsii-pacmak's Go target, with a --code-only fallback where GOPROXY lacks a pinned version (never on
// GitHub Actions); the Go consumer above compiles the module either way. See .ci/package-go.sh.
project.tasks.tryFind('package:go')!.reset('bash .ci/package-go.sh');

// jsii-pacmak rewrites README.md's ```ts blocks into each package's language with jsii-rosetta. Without a tablet it
// keeps a snippet's TypeScript and labels it ```python (issue 18: the wheel's README showed TypeScript as Python).
// `--rosetta-unknown-snippets translate` translates them while packaging instead: no tablet needed, so the release
// workflow's package jobs, which start from the npm tarball, get the same README. test/consumers/check_readme.py
// fails when a ```python block of the wheel's description holds TypeScript.
for (const target of ['python', 'java']) {
  project.tasks.tryFind(`package:${target}`)!.reset(`jsii-pacmak -v --target ${target} --rosetta-unknown-snippets translate`);
}

// The real CDK CLI (cdk.json): `cdk synth` of the example app must give the same assembly as `projen main`.
const cdkCli = project.addTask('gate:cdk-cli', {
  description: 'npx cdk synth --all (cdk.json, no AWS credentials) must produce the same stacks and templates as npx projen main',
});
cdkCli.exec('bash .ci/cdk-cli.sh');

// jsii-pacmak's Python console script runs the bin file itself through the jsii runtime, so it must be executable in
// the npm tarball (npm pack keeps the mode; tsc writes 0644).
project.postCompileTask.exec('node -e "require(\'fs\').chmodSync(\'lib/simulator/bin.js\', 0o755)"');

// The outage simulator from the packed npm tarball installed into a fresh directory (`npx cdk-multi-region-failover`).
const simulatorPackage = project.addTask('gate:simulator-package', {
  description: 'Install the packed npm tarball into a fresh directory and run npx cdk-multi-region-failover simulate on a small assembly',
});
simulatorPackage.exec('bash .ci/simulator-package.sh');

const testAll = project.addTask('test:all', {
  description: 'Everything CI checks: build (jsii, jest+coverage, eslint, cdk-nag), all packages, example synth, CDK CLI synth, cfn-lint, integ snapshots, rosetta, consumers',
});
testAll.spawn(project.buildTask);
testAll.spawn(project.tasks.tryFind('package-all')!);
testAll.spawn(simulatorPackage);
testAll.spawn(main);
testAll.spawn(cdkCli);
testAll.spawn(cfnLint);
testAll.spawn(integVerify);
testAll.spawn(rosetta);
testAll.spawn(consumers);

const readmeTables = project.addTask('docs:readme', {
  description: 'Rewrite the generated README sections (recovery figures, cdk-nag suppressions) from the example app; a unit test fails when they drift',
});
readmeTables.spawn(project.bundler.bundleTask);
readmeTables.exec(`${tsNode} examples/readme-tables.ts`);

const translations = project.addTask('docs:translations', {
  description: 'Rewrite the README\'s Python and Java examples (<!-- rosetta:python|java --> blocks) from jsii-rosetta\'s translation of the TypeScript example before them; the rosetta gate fails when they drift',
});
translations.spawn(project.compileTask);
translations.exec('bash .ci/rosetta.sh', { env: { ROSETTA_SKIP_TRANSLATION_CHECK: '1' } });
translations.exec('node .ci/translated-examples.js write');
translations.spawn(project.compileTask);

const bench = project.addTask('bench', {
  description: 'Benchmark synth time, template sizes and handler bundle sizes; writes bench/results.json',
});
bench.spawn(project.bundler.bundleTask);
bench.exec(`${tsNode} bench/bench.ts`);

const benchSimulator = project.addTask('bench:simulator', {
  description: 'Benchmark the outage simulator on ./cdk.out (run `npx projen main` first) and on generated 10-100 stack assemblies; writes bench/simulator-results.json',
});
benchSimulator.exec(`${tsNode} bench/simulator.ts`);

// The integ tests, examples and bench are type-checked and linted like the tests.
project.tsconfigDev.addInclude('.projenrc.ts');
project.tsconfigDev.addInclude('examples/**/*.ts');
project.tsconfigDev.addInclude('integ/**/*.ts');
project.tsconfigDev.addInclude('bench/**/*.ts');
project.tsconfigDev.addExclude('integ/**/*.snapshot/**');

// Lambda handlers import the AWS SDK v3 that the Node.js runtime provides: a devDependency, not a dependency.
project.eslint?.allowDevDeps('src/**/*.lambda.ts');

// unrs-resolver 1.13.0 lacks optional bindings on the mirror (../shared/FACTS.md).
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// `.ci/run` runs the test command's core (jest + eslint) once more on Node.js 22 LTS, a binary from the npm registry.
// Not part of test:all: build.yml runs everything on Node 22 already (workflowNodeVersion).
project.addTask('test:node22', {
  // Coverage was measured (and its threshold enforced) by test:all on Node.js 20; here only pass/fail matters.
  description: `Run \`projen test\` (jest without coverage + eslint) on Node.js ${NODE_LTS}, installed from the npm registry into ~/.cache by .ci/node22.sh`,
  exec: `bash .ci/node22.sh ${NODE_LTS} npx projen test --coverage=false`,
});

// build.yml runs the gates of `.ci/run`: after projen's `build` step, every other step of test:all, read here at the
// end so that a gate added above is included. Python, Java and Go serve package-all and the consumer apps.
project.buildWorkflow?.addPostBuildSteps(
  { name: 'Set up Python', uses: github.ActionRefs.ACTIONS_SETUP_PYTHON, with: { 'python-version': '3.x' } },
  { name: 'Set up Java', uses: github.ActionRefs.ACTIONS_SETUP_JAVA, with: { 'distribution': 'corretto', 'java-version': '17' } },
  { name: 'Set up Go', uses: github.ActionRefs.ACTIONS_SETUP_GO, with: { 'go-version': '^1.25.0' } },
  ...testAll.steps
    .filter((step) => step.spawn && step.spawn !== project.buildTask.name)
    .map((step) => ({ name: `test:all ${step.spawn}`, run: `npx projen ${step.spawn}` })),
);

project.synth();
