const ERROR_SYMBOL = Symbol.for('cdk-multi-region-failover.MultiRegionFailoverError');

/**
 * The error every construct of this library throws for bad input at synthesis time.
 *
 * Messages follow one format: the offending property in backticks, what is required,
 * and what was given, e.g. "`failureThreshold` must be between 1 and 10, got: 12".
 *
 * jsii cannot expose a subclass of `Error` to Python/Java, so the class itself is exported
 * to TypeScript only; every language can recognise it with `FailoverErrors.isFailoverError()`.
 */
export class MultiRegionFailoverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultiRegionFailoverError';
    Object.defineProperty(this, ERROR_SYMBOL, { value: true });
    Object.setPrototypeOf(this, MultiRegionFailoverError.prototype);
  }
}

/** Helpers to recognise this library's synthesis errors. */
export class FailoverErrors {
  /** Whether `x` is an error thrown by this library for bad input. */
  public static isFailoverError(x: any): boolean {
    return x !== null && typeof x === 'object' && ERROR_SYMBOL in x;
  }

  private constructor() {}
}
