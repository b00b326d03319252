/**
 * Parsing of service bodies into the normalised shape (see normalise.ts): submit, query
 * and list responses, callbacks (XML or JSON, sniffed) and error bodies.
 */
import { CiError, ErrorCodes } from './errors';
import { RESPONSE_ARRAY_PATHS } from './jobs';
import { normaliseTree } from './normalise';
import type { CiCallback, CiResponse } from './types';
import { bodyText, checkBodySize, DEFAULT_MAX_BODY_BYTES, parseXml } from './xml';

export interface ParseOptions {
  /** Refuse bodies larger than this many bytes (default 8 MiB). */
  maxBytes?: number;
  /** HTTP status and request id of the response, carried into a CiError. */
  status?: number;
  requestId?: string;
}

type Format = 'xml' | 'json';

function sniff(text: string): Format | undefined {
  const first = /\S/.exec(text.replace(/^\uFEFF/, ''))?.[0];
  return first === '<' ? 'xml' : first === '{' ? 'json' : undefined;
}

/** Plain words for the codes a user can act on (ci-api.md §7.2). */
const HINTS: Record<string, string> = {
  MissingAuthorization: 'the request was not signed',
  InvalidAuthorization: 'the request signature is malformed or does not match; check the SecretId and SecretKey',
  SignatureExpired: 'the request signature has expired; check that this machine\'s clock is right',
  SecretidNotExist: 'the SecretId does not exist; check the credentials',
  AccessDenied: 'access denied; check the SecretId, SecretKey and the key\'s ci:CreateMediaJobs permission',
  ResourceNotFound: 'the input object does not exist in the bucket',
  ResourceAccessDenied: 'CI may not read the input; grant the CI_QCSRole role access to the bucket',
  CIRoleNotExist: 'the CI_QCSRole role is missing; bind the bucket to CI in the console',
  ResourceNotSupported: 'the input file is damaged or of an unsupported format',
  SlowDown: 'requests are being throttled; slow down',
  QueueSaturated: 'the queue is full; try again later',
  QueuePaused: 'the queue is paused; resume it in the console',
  InvalidArgument: 'a parameter is invalid',
};

const RETRYABLE_CODES = new Set(['SlowDown', 'QueueSaturated', 'InternalError', 'ServiceUnavailable', 'RequestTimeout']);

/** Whether the same request may succeed later (ci-api.md §7.3). */
export function isRetryable(code: string, status?: number): boolean {
  if (RETRYABLE_CODES.has(code)) return true;
  if (status === 429) return true;
  return status !== undefined && status >= 500 && status !== 501;
}

/** Builds the CiError for an error body's fields and the response around it. */
export function errorFromFields(
  fields: { Code?: unknown; Message?: unknown; RequestId?: unknown; TraceId?: unknown },
  options: ParseOptions = {},
): CiError {
  const status = options.status;
  const code = typeof fields.Code === 'string' && fields.Code ? fields.Code : status ? `HTTP${status}` : 'UnknownError';
  const serviceMessage = typeof fields.Message === 'string' ? fields.Message : '';
  const requestId = (typeof fields.RequestId === 'string' && fields.RequestId) || options.requestId || undefined;
  const hint = HINTS[code];
  const head = `CI error ${code}${status ? ` (HTTP ${status})` : ''}`;
  const detail = [serviceMessage, hint].filter((s) => s).join(' - ');
  const message = `${head}${detail ? `: ${detail}` : ''}${requestId ? ` [request id ${requestId}]` : ''}`;
  return new CiError({
    code,
    message,
    status,
    requestId,
    traceId: typeof fields.TraceId === 'string' ? fields.TraceId : undefined,
    retryable: isRetryable(code, status),
  });
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CiError({ code: ErrorCodes.MalformedResponse, message: `Malformed JSON body: ${(err as Error).message}` });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CiError({ code: ErrorCodes.MalformedResponse, message: 'Malformed JSON body: expected an object' });
  }
  return value as Record<string, unknown>;
}

/**
 * The content of a body's root as a plain tree: `{ kind: 'response', tree }` or throws the
 * CiError an error body describes.
 */
function readBody(body: string | Uint8Array, options: ParseOptions): Record<string, unknown> {
  checkBodySize(body, options.maxBytes ?? DEFAULT_MAX_BODY_BYTES);
  const text = bodyText(body);
  const format = sniff(text);
  if (format === 'xml') {
    const doc = parseXml(text, Number.POSITIVE_INFINITY); // size already checked
    const roots = Object.keys(doc);
    if (roots.length === 1 && roots[0] === 'Error') throw errorFromFields((doc.Error ?? {}) as Record<string, unknown>, options);
    if (roots.length !== 1 || roots[0] !== 'Response') {
      throw new CiError({ code: ErrorCodes.MalformedResponse, message: `Malformed XML body: expected a <Response> root, got ${roots.map((r) => `<${r}>`).join(', ') || 'none'}` });
    }
    const content = doc.Response;
    return content !== null && typeof content === 'object' ? (content as Record<string, unknown>) : {};
  }
  if (format === 'json') {
    const json = parseJson(text);
    if (json.Error && typeof json.Error === 'object') throw errorFromFields(json.Error as Record<string, unknown>, options);
    // Some CI endpoints answer `{"code": 400, "message": "...", "request_id": "..."}` (ci-api.md §7.1).
    if ('code' in json && 'message' in json && !('JobsDetail' in json)) {
      throw errorFromFields({ Code: String(json.code), Message: json.message, RequestId: json.request_id }, options);
    }
    const inner = json.Response;
    return inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : json;
  }
  throw new CiError({ code: ErrorCodes.MalformedResponse, message: text.trim() ? 'Body is neither XML nor JSON' : 'Body is empty' });
}

function normalised(content: Record<string, unknown>): CiResponse {
  const tree = normaliseTree(content, RESPONSE_ARRAY_PATHS) as CiResponse;
  if (!Array.isArray(tree.JobsDetail)) tree.JobsDetail = [];
  return tree;
}

/**
 * Parses a submit, query or list response body. `JobsDetail` is always an array, and
 * `NonExistJobIds` a string array when present. An `<Error>` body throws its CiError.
 */
export function parseResponse(body: string | Uint8Array, options: ParseOptions = {}): CiResponse {
  return normalised(readBody(body, options));
}

/**
 * Parses a callback body (XML or JSON, sniffed) into the same shape as `parseResponse`,
 * whatever collapsed form Tencent's JSON used. Throws a CiError `MalformedResponse` for a
 * body that is not a callback.
 */
export function parseCallback(body: string | Uint8Array, options: ParseOptions = {}): CiCallback {
  const tree = normalised(readBody(body, options));
  if (typeof tree.EventName !== 'string' || (tree.JobsDetail.length === 0 && tree.WorkflowExecution === undefined)) {
    throw new CiError({ code: ErrorCodes.MalformedResponse, message: 'Not a CI callback: expected EventName and JobsDetail' });
  }
  for (const detail of tree.JobsDetail) {
    if (typeof detail?.JobId !== 'string') {
      throw new CiError({ code: ErrorCodes.MalformedResponse, message: 'Not a CI callback: a JobsDetail has no JobId' });
    }
  }
  return tree as CiCallback;
}

/** Parses an error body (XML `<Error>` or JSON) into its CiError; undefined when the body is not one. */
export function parseErrorBody(body: string | Uint8Array, options: ParseOptions = {}): CiError | undefined {
  try {
    readBody(body, options);
    return undefined;
  } catch (err) {
    return err instanceof CiError && err.code !== ErrorCodes.MalformedResponse && err.code !== ErrorCodes.BodyTooLarge ? err : undefined;
  }
}
