import { App } from 'aws-cdk-lib';

/**
 * The errors `app.synth()` reports (collected with `node.addValidation`), one "[path] message" per entry; [] when the
 * app synthesizes. Any other error is rethrown.
 */
export function synthErrors(app: App): string[] {
  try {
    app.synth();
  } catch (e) {
    const message = (e as Error).message;
    if (!message.startsWith('Validation failed with the following errors:')) {
      throw e;
    }
    return message.split('\n').slice(1).map((l) => l.trim());
  }
  return [];
}

/**
 * Restores `process.env[name]` after each test of the enclosing `describe` (tests that set or delete
 * `CDK_DEFAULT_ACCOUNT` must not leak it into the next test).
 */
export function restoreEnvAfterEach(name: string): void {
  const saved = process.env[name];
  afterEach(() => {
    if (saved === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = saved;
    }
  });
}
