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
    super(spelledForUser(message));
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

/**
 * The Python spelling of a property path: `healthCheck.failureThreshold` → `health_check.failure_threshold`.
 * @internal
 */
export function pythonSpelling(property: string): string {
  return property.split('.').map((part) => part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)).join('.');
}

/** The Go and .NET spelling of a property path: `healthCheck.failureThreshold` → `HealthCheck.FailureThreshold`. @internal */
export function pascalSpelling(property: string): string {
  return property.split('.').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('.');
}

/** A prop path in backticks (`healthCheck.interval`, `recordMode: ApiRecordMode.ALIAS`): camelCase starting lower case. */
const PROP_IN_BACKTICKS = /`([a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)*)(?=[`:\s\[])/g;

/**
 * `message` with every prop it names in backticks spelled the way the user's language spells it. TypeScript,
 * JavaScript and Java (builder methods) use camelCase, the message's own spelling; Python uses snake_case
 * (`health_check.failure_threshold`), Go and .NET PascalCase. The language is the jsii runtime's `JSII_AGENT`
 * (`Python/3.11.4`, `Java/…`, `golang/…`, `DotNet/…`), which jsii sets for the Node.js process it starts; without it
 * (TypeScript, JavaScript) the message is unchanged.
 * @internal
 */
export function spelledForUser(message: string, agent: string | undefined = process.env.JSII_AGENT): string {
  const language = (agent ?? '').toLowerCase();
  const spell = language.startsWith('python') ? pythonSpelling
    : (language.startsWith('go') || language.startsWith('dotnet')) ? pascalSpelling
      : undefined;
  return spell ? message.replace(PROP_IN_BACKTICKS, (_match, prop: string) => `\`${spell(prop)}`) : message;
}
