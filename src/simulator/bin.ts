#!/usr/bin/env node
/**
 * The package's command `cdk-multi-region-failover` (package.json `bin`, set in .projenrc.ts): see `cli.ts`.
 * Sets the exit status instead of calling `process.exit`, so a long `--json` document is flushed to a pipe whole.
 */
import { main } from './cli';

process.exitCode = main(process.argv.slice(2));
