const ERROR_SYMBOL = Symbol.for('cdk-multi-region-failover.MultiRegionFailoverError');

/**
 * The error every construct of this library throws for bad input at synthesis time.
 *
 * Messages follow one format: the offending property in backticks, what is required,
 * and what was given, e.g. "`failureThreshold` must be between 1 and 10, got: 12".
 *
 * jsii cannot expose a subclass of `Error` to Python/Java, so the class itself is exported
 * to TypeScript only. Python and Java receive a `RuntimeError` / `RuntimeException` that carries the message;
 * every language recognises it with `FailoverErrors.isFailoverMessage(message)`.
 */
export class MultiRegionFailoverError extends Error {
  constructor(message: string) {
    super(spelledForUser(message));
    this.name = 'MultiRegionFailoverError';
    Object.defineProperty(this, ERROR_SYMBOL, { value: true });
    Object.setPrototypeOf(this, MultiRegionFailoverError.prototype);
  }
}

/**
 * The messages of the errors this library raised in this process (thrown, or collected for `app.synth()`), newest last.
 * jsii runs the library in one Node.js process per Python/Java/Go program, so the messages a program's exceptions
 * carry are here. Bounded: only the newest `REMEMBERED_MAX` are kept.
 */
const raised = new Set<string>();
const REMEMBERED_MAX = 1000;

function remember(message: string): string {
  if (message.length > 0) {
    raised.delete(message);
    raised.add(message);
    if (raised.size > REMEMBERED_MAX) {
      raised.delete(raised.values().next().value as string);
    }
  }
  return message;
}

/** Helpers to recognise this library's synthesis errors. */
export class FailoverErrors {
  /**
   * Whether `message` is, or contains, the message of an error this library raised in this program, for bad input:
   * an error a construct threw, or `app.synth()`'s validation error that lists the errors collected from the
   * constructs. The way to recognise the library's errors from every language, which all see the message:
   * `FailoverErrors.isFailoverMessage(str(e))` in Python (jsii raises a `RuntimeError`), `isFailoverMessage(e.getMessage())`
   * in Java (a `RuntimeException`: jsii's `JsiiError`).
   *
   * It compares with the messages the library produced in this process (jsii runs the library in one Node.js process
   * per program), so a message read from a log file or typed by hand is not recognised.
   * @param message the message of the exception your language raised
   */
  public static isFailoverMessage(message: string): boolean {
    if (typeof message !== 'string' || message.length === 0) {
      return false;
    }
    for (const m of raised) {
      if (message.includes(m)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether `x` is an error thrown by this library for bad input, or an error (or message string) whose message
   * `isFailoverMessage` recognises, such as `app.synth()`'s validation error.
   *
   * TypeScript and JavaScript only: Python and Java cannot pass their exception object through jsii (Python fails with
   * "type object 'RuntimeError' has no attribute '__jsii_type__'"): use `isFailoverMessage` with its message there.
   */
  public static isFailoverError(x: any): boolean {
    if (typeof x === 'string') {
      return FailoverErrors.isFailoverMessage(x);
    }
    if (x === null || typeof x !== 'object') {
      return false;
    }
    return ERROR_SYMBOL in x || (typeof x.message === 'string' && FailoverErrors.isFailoverMessage(x.message));
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
 * (TypeScript, JavaScript) the message is unchanged. Every message the library reports passes through here, thrown
 * (`MultiRegionFailoverError`) or collected for `app.synth()` (`addError`), so it is also remembered here for
 * `FailoverErrors.isFailoverMessage`.
 * @internal
 */
export function spelledForUser(message: string, agent: string | undefined = process.env.JSII_AGENT): string {
  const language = (agent ?? '').toLowerCase();
  const spell = language.startsWith('python') ? pythonSpelling
    : (language.startsWith('go') || language.startsWith('dotnet')) ? pascalSpelling
      : undefined;
  return remember(spell ? message.replace(PROP_IN_BACKTICKS, (_match, prop: string) => `\`${spell(prop)}`) : message);
}
