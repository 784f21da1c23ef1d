import { awscdk, javascript } from 'projen';

/**
 * Version pins that this project's package mirror can install together.
 * See ../shared/FACTS.md before changing any of them.
 */
const CDK_VERSION = '2.245.0';
const INTEG_TESTS_ALPHA = `${CDK_VERSION}-alpha.0`;
const INTEG_RUNNER = '2.197.10';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-multi-region-failover',
  description:
    'AWS CDK L3 constructs for multi-region, automatic-failover architectures: Route 53 failover DNS, multi-region APIs, CloudFront SSR sites with origin failover and Aurora global databases, each with a computed RTO/RPO.',
  author: 'cdk-multi-region-failover contributors',
  authorAddress: 'maintainers@cdk-multi-region-failover.dev',
  repositoryUrl: 'https://github.com/cdk-multi-region-failover/cdk-multi-region-failover.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'multi-region', 'failover', 'disaster-recovery', 'route53', 'cloudfront', 'aurora', 'dynamodb'],
  stability: 'experimental',

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  tsconfigDevFile: 'tsconfig.dev.json',
  minNodeVersion: '20.0.0',

  // No hosted CI here: `.ci/run` is the gate. No GitHub workflows, no release automation.
  github: false,
  release: false,
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

for (const pattern of ['/examples/', '/integ/', '/bench/', '/.ci/', '/cdk.out/', '/.venv-cfn-lint/', '/.jsii-rosetta/', '/tsconfig.dev.json']) {
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
  description: 'Install the built wheel and jar into tiny Python and Java CDK apps and assert on their templates',
});
consumers.exec('bash test/consumers/run.sh');

const testAll = project.addTask('test:all', {
  description: 'Everything CI checks: build (jsii, jest+coverage, eslint, cdk-nag), all packages, example synth, cfn-lint, integ snapshots, rosetta, consumers',
});
testAll.spawn(project.buildTask);
testAll.spawn(project.tasks.tryFind('package-all')!);
testAll.spawn(main);
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

project.synth();
