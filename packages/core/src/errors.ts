/**
 * Errors thrown by the core package. Every error has a stable `code` and a message a
 * user understands. None of them ever carries a SecretKey, a session token or an
 * Authorization header: they are built only from codes, statuses, request ids and
 * user-supplied job parameters.
 */

export interface CiErrorInit {
  code: string;
  message: string;
  status?: number;
  requestId?: string;
  traceId?: string;
  retryable?: boolean;
  cause?: unknown;
}

/** An error reported by CI (an `<Error>` body), the network, or this library. */
export class CiError extends Error {
  override name = 'CiError';
  /** The CI error code (`InvalidArgument`, `SlowDown`, …) or one of this library's codes. */
  readonly code: string;
  /** The HTTP status, when a response was received. */
  readonly status?: number;
  /** `x-ci-request-id` (or the body's RequestId), when the service sent one. */
  readonly requestId?: string;
  readonly traceId?: string;
  /** Whether repeating the same request later may succeed. */
  readonly retryable: boolean;

  constructor(init: CiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.traceId = init.traceId;
    this.retryable = init.retryable ?? false;
  }

  /**
   * The message alone, without "CiError: ": what Node-RED puts in a Catch node's
   * msg.error.message (it calls toString()), and what a user reads first.
   */
  override toString(): string {
    return this.message;
  }

  /** A plain object for logs and Node-RED messages (no stack, no cause). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      requestId: this.requestId,
      retryable: this.retryable,
    };
  }
}

/** One problem found in job parameters. */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `Operation.Snapshot.Count`. */
  path: string;
  /** What was given (undefined when a required field is missing). */
  value?: unknown;
  /** What is allowed, in words: `an integer in (0, 10000]`, `one of Stream, ShortVideo`. */
  allowed: string;
}

/** A short, printable form of a value for an error message (`missing` for undefined). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatIssue(issue: ValidationIssue): string {
  return issue.value === undefined
    ? `${issue.path} is required: ${issue.allowed}`
    : `${issue.path} is ${describeValue(issue.value)}; allowed: ${issue.allowed}`;
}

/** Job parameters that break the documented rules; thrown before anything is sent. */
export class CiValidationError extends CiError {
  override name = 'CiValidationError';
  readonly issues: ValidationIssue[];
  /** The first issue's path, for quick access. */
  readonly path: string;

  /** `subject` names what was invalid: `<tag> job` unless given (`instant Snapshot`). */
  constructor(tag: string, issues: ValidationIssue[], subject = `${tag} job`) {
    const head = `Invalid ${subject}: ${formatIssue(issues[0]!)}`;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more: ${issues.slice(1).map(formatIssue).join('; ')})` : '';
    super({ code: 'InvalidArgument', message: head + more, retryable: false });
    this.issues = issues;
    this.path = issues[0]!.path;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/**
 * A submit whose request may have reached the service but whose answer was lost
 * (connection reset, timeout, 5xx). Repeating it could create a duplicate job.
 */
export class CiOutcomeUnknownError extends CiError {
  override name = 'CiOutcomeUnknownError';
}

/** Library error codes (CI's own codes are strings such as `InvalidArgument`). */
export const ErrorCodes = {
  /** A network failure: connection refused, reset, DNS, TLS. */
  Network: 'NetworkError',
  /** No answer within the client's timeout. */
  Timeout: 'RequestTimeout',
  /** The submit's outcome is unknown; see CiOutcomeUnknownError. */
  OutcomeUnknown: 'OutcomeUnknown',
  /** A response body that is not the XML or JSON the API documents. */
  MalformedResponse: 'MalformedResponse',
  /** A body larger than the configured limit. */
  BodyTooLarge: 'BodyTooLarge',
  /** A body whose objects, arrays or elements nest deeper than the configured limit. */
  BodyTooDeep: 'BodyTooDeep',
  /** A body with more JobsDetail entries than the configured limit. */
  TooManyJobs: 'TooManyJobs',
  /** A wait that reached its timeout before the job ended. */
  WaitTimeout: 'WaitTimeout',
  /** The watcher was closed while the wait was pending. */
  WatcherClosed: 'WatcherClosed',
  /** A waited-for job that the service does not know. */
  JobNotFound: 'JobNotFound',
  /** A wait abandoned through its AbortSignal. */
  Aborted: 'Aborted',
} as const;
