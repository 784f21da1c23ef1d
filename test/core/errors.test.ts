import { App, Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FailoverErrors } from '../../src';
import { MultiRegionFailoverError } from '../../src/core/errors';
import { validateRegions } from '../../src/core/regions';
import { addError } from '../../src/core/validation';

/**
 * Issue 18 item 3. Python and Java never see the JavaScript error object: jsii's runtime turns it into a `RuntimeError`
 * (Python) or a `RuntimeException` (Java) that carries the error's message, and `FailoverErrors.isFailoverError(e)` with
 * that exception fails in Python before it reaches the library ("type object 'RuntimeError' has no attribute
 * '__jsii_type__'": a Python exception is no jsii object). So every language can pass the message instead:
 * `FailoverErrors.isFailoverMessage(str(e))` / `isFailoverMessage(e.getMessage())`. test/consumers runs it in Python and Java.
 */
function thrownBy(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('nothing was thrown');
}

function withAgent<T>(agent: string, f: () => T): T {
  const saved = process.env.JSII_AGENT;
  process.env.JSII_AGENT = agent;
  try {
    return f();
  } finally {
    if (saved === undefined) {
      delete process.env.JSII_AGENT;
    } else {
      process.env.JSII_AGENT = saved;
    }
  }
}

describe('FailoverErrors.isFailoverMessage: the library\'s errors recognised by their message, in every language', () => {
  test('the message of an error the library threw (what Python\'s str(e) holds) is recognised', () => {
    const e = thrownBy(() => validateRegions(['us-east-1']));
    expect(e.message).toBe('`regions` needs at least 2 regions (the first is the primary), got: 1');
    expect(FailoverErrors.isFailoverMessage(e.message)).toBe(true);
  });

  test('in the Python spelling, as raised under jsii\'s Python runtime', () => {
    const e = withAgent('Python/3.11.4', () => thrownBy(() => { throw new MultiRegionFailoverError('`healthCheck.failureThreshold` must be between 1 and 10, got: 11'); }));
    expect(e.message).toBe('`health_check.failure_threshold` must be between 1 and 10, got: 11');
    expect(FailoverErrors.isFailoverMessage(e.message)).toBe(true);
  });

  test('Java\'s exception message (the message, then the JavaScript stack) is recognised', () => {
    const e = thrownBy(() => validateRegions(['us-east-1', 'us-east-1']));
    expect(FailoverErrors.isFailoverMessage(`${e.message}\n${e.stack}`)).toBe(true);
  });

  test('app.synth()\'s validation error, which lists the errors collected from every construct, is recognised', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    addError(new Construct(stack, 'Dns'), `\`ttl\` must be a whole number of seconds from 0 to 172800 (2 days), got: ${Duration.days(3).toSeconds()} s`);
    const e = thrownBy(() => app.synth());
    expect(e.message).toBe('Validation failed with the following errors:\n  [S/Dns] `ttl` must be a whole number of seconds from 0 to 172800 (2 days), got: 259200 s');
    expect(FailoverErrors.isFailoverMessage(e.message)).toBe(true);
    expect(FailoverErrors.isFailoverError(e)).toBe(true);
  });

  test('other messages are not: aws-cdk-lib\'s own errors, an empty or unrelated message', () => {
    const cdkError = thrownBy(() => new Stack(new App(), 'Bad Name!'));
    expect(FailoverErrors.isFailoverMessage(cdkError.message)).toBe(false);
    expect(FailoverErrors.isFailoverMessage('')).toBe(false);
    expect(FailoverErrors.isFailoverMessage('boom')).toBe(false);
  });

  test('a message that only looks like one (never raised by the library in this process) is not recognised', () => {
    expect(FailoverErrors.isFailoverMessage('`regions` needs at least 7 regions, got: 0')).toBe(false);
  });
});

describe('FailoverErrors.isFailoverError (TypeScript, JavaScript)', () => {
  test('the error object itself, and its message where a language only has the message', () => {
    const e = thrownBy(() => validateRegions(['us-east-1', 'nowhere']));
    expect(e).toBeInstanceOf(MultiRegionFailoverError);
    expect(FailoverErrors.isFailoverError(e)).toBe(true);
    expect(FailoverErrors.isFailoverError(e.message)).toBe(true);
    expect(FailoverErrors.isFailoverError(new Error(e.message + ' (copied)'))).toBe(true);
    expect(FailoverErrors.isFailoverError(new Error('other'))).toBe(false);
    expect(FailoverErrors.isFailoverError({ message: 42 })).toBe(false);
    expect(FailoverErrors.isFailoverError(undefined)).toBe(false);
  });
});
