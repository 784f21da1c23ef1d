import { FailoverErrors } from '../../src';

/**
 * The message of the library error `f` throws, or 'nothing was thrown'. Fails the test if `f` throws
 * anything that is not this library's error.
 */
export function failureMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(FailoverErrors.isFailoverError(e)).toBe(true);
    return (e as Error).message;
  }
  return 'nothing was thrown';
}
