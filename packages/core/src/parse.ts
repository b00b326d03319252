/**
 * Parsing of service bodies into the normalised shape (see normalise.ts): submit, query
 * and list responses, callbacks (XML or JSON, sniffed) and error bodies.
 */
import { CiError, ErrorCodes } from './errors';
import { RESPONSE_ARRAY_PATHS } from './jobs';
import { normaliseTree } from './normalise';
import type { CiCallback, CiResponse } from './types';
import { isObject } from './values';
import { checkDepth, DEFAULT_MAX_DEPTH, jsonDepth } from './depth';
import { bodyText, checkBodySize, DEFAULT_MAX_BODY_BYTES, malformedXml } from './xml';
import { arrayTrie, readXml } from './xml-reader';

/** RESPONSE_ARRAY_PATHS as the XML reader follows them. */
const RESPONSE_ARRAYS = arrayTrie(RESPONSE_ARRAY_PATHS);

/** Most JobsDetail entries parseCallback accepts unless a caller sets another limit. */
export const DEFAULT_MAX_CALLBACK_JOBS = 100;

export interface ParseOptions {
  /** Refuse bodies larger than this many bytes (default 8 MiB). */
  maxBytes?: number;
  /**
   * Refuse bodies whose objects, arrays or elements nest deeper than this (default 64),
   * measured on the text before it is parsed.
   */
  maxDepth?: number;
  /** Refuse bodies with more JobsDetail entries than this (default: no limit for parseResponse, 100 for parseCallback). */
  maxJobs?: number;
  /** HTTP status and request id of the response, carried into a CiError. */
  status?: number;
  requestId?: string;
}

type Format = 'xml' | 'json';

function sniff(text: string): Format | undefined {
  const first = /\S/.exec(text.replace(/^\uFEFF/, ''))?.[0];
  return first === '<' ? 'xml' : first === '{' ? 'json' : undefined;
}

/** Plain words for the codes a user can act on. */
const HINTS: Record<string, string> = {
  MissingAuthorization: 'the request was not signed',
  InvalidAuthorization: 'the request signature is malformed or does not match; check the SecretId and SecretKey',
  SignatureExpired: "the request signature has expired; check that this machine's clock is right",
  SecretidNotExist: 'the SecretId does not exist; check the credentials',
  AccessDenied: "access denied; check the SecretId, SecretKey and the key's ci:CreateMediaJobs permission",
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

/** Whether the same request may succeed later. */
export function isRetryable(code: string, status?: number): boolean {
  if (RETRYABLE_CODES.has(code)) return true;
  if (status === 429) return true;
  return status !== undefined && status >= 500 && status !== 501;
}

/** Builds the CiError for an error body's fields and the response around it. */
export function errorFromFields(fields: { Code?: unknown; Message?: unknown; RequestId?: unknown; TraceId?: unknown }, options: ParseOptions = {}): CiError {
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
    // V8's message quotes the body; keep only the position.
    const position = /at position (\d+)/.exec((err as Error).message)?.[1];
    throw new CiError({ code: ErrorCodes.MalformedResponse, message: `Malformed JSON body${position ? ` at position ${position}` : ''}` });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CiError({ code: ErrorCodes.MalformedResponse, message: 'Malformed JSON body: expected an object' });
  }
  return value as Record<string, unknown>;
}

function checkLimit(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value === Infinity || Number.isInteger(value)) || value < min) {
    throw new CiError({ code: 'InvalidArgument', message: `Parse option ${name} is ${String(value)}; allowed: an integer >= ${min}, or Infinity` });
  }
  return value;
}

/** Refuses content with more JobsDetail entries than `maxJobs`, counted before normalising. */
function checkJobCount(content: Record<string, unknown>, maxJobs: number): void {
  const jobs = content.JobsDetail;
  const count = Array.isArray(jobs) ? jobs.length : jobs === undefined ? 0 : 1;
  if (count > maxJobs) {
    throw new CiError({ code: ErrorCodes.TooManyJobs, message: `Body has ${count} JobsDetail entries; the limit is ${maxJobs}` });
  }
}

/** A body's root content, normalised, or the CiError an error body describes. */
type Body = { content: Record<string, unknown> } | { error: CiError };

/** Reads a body up to its normalised root content; throws a CiError for anything that is not a CI body. */
function readBody(body: string | Uint8Array, options: ParseOptions, maxJobs: number): Body {
  const maxDepth = checkLimit('maxDepth', options.maxDepth, DEFAULT_MAX_DEPTH, 1);
  checkBodySize(body, options.maxBytes ?? DEFAULT_MAX_BODY_BYTES);
  const text = bodyText(body);
  const format = sniff(text);
  if (format === undefined) {
    throw new CiError({ code: ErrorCodes.MalformedResponse, message: text.trim() ? 'Body is neither XML nor JSON' : 'Body is empty' });
  }
  let content: Record<string, unknown>;
  if (format === 'xml') {
    // One pass: well-formedness, depth, arrays, empties and safe names (xml-reader.ts).
    const doc = readXml(text, RESPONSE_ARRAYS, maxDepth);
    if (doc.root === 'Error') return { error: errorFromFields(doc.content, options) };
    if (doc.root !== 'Response') {
      throw malformedXml(`expected a <Response> root, got <${doc.root.slice(0, 40)}>`);
    }
    content = doc.content;
    checkJobCount(content, maxJobs);
  } else {
    checkDepth(jsonDepth(text), maxDepth);
    const json = parseJson(text);
    if (json.Error && typeof json.Error === 'object') return { error: errorFromFields(json.Error as Record<string, unknown>, options) };
    // Some CI endpoints answer `{"code": 400, "message": "...", "request_id": "..."}`.
    if ('code' in json && 'message' in json && !('JobsDetail' in json)) {
      return { error: errorFromFields({ Code: String(json.code), Message: json.message, RequestId: json.request_id }, options) };
    }
    const inner = json.Response;
    const raw = isObject(inner) ? inner : json;
    checkJobCount(raw, maxJobs);
    content = normaliseTree(raw, RESPONSE_ARRAY_PATHS);
  }
  return { content };
}

/**
 * Runs a parse so that only CiErrors leave it: anything else a library throws on a hostile
 * body (RangeError, TypeError, …) becomes MalformedResponse, without quoting the body.
 */
export function guarded<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof CiError) throw err;
    const kind = err instanceof Error ? err.name : typeof err;
    throw new CiError({ code: ErrorCodes.MalformedResponse, message: `Body could not be parsed (${kind})` });
  }
}

function responseContent(body: string | Uint8Array, options: ParseOptions, maxJobs: number): Record<string, unknown> {
  const read = readBody(body, options, maxJobs);
  if ('error' in read) throw read.error;
  return read.content;
}

/** The normalised content as a response: `JobsDetail` always an array. */
function normalised(content: Record<string, unknown>): CiResponse {
  const tree = content as CiResponse;
  if (!Array.isArray(tree.JobsDetail)) tree.JobsDetail = [];
  return tree;
}

/**
 * Parses a submit, query or list response body. `JobsDetail` is always an array, and
 * `NonExistJobIds` a string array when present. An `<Error>` body throws its CiError; any
 * other failure throws a CiError too (MalformedResponse, BodyTooLarge, BodyTooDeep,
 * TooManyJobs), never anything else.
 */
export function parseResponse(body: string | Uint8Array, options: ParseOptions = {}): CiResponse {
  return guarded(() => normalised(responseContent(body, options, checkLimit('maxJobs', options.maxJobs, Infinity, 0))));
}

/**
 * Parses a callback body (XML or JSON, sniffed) into the same shape as `parseResponse`,
 * whatever collapsed form Tencent's JSON used. Throws a CiError `MalformedResponse` for a
 * body that is not a callback, and only CiErrors for any body (as `parseResponse`); at most
 * `maxJobs` JobsDetail entries (default 100) are accepted.
 */
export function parseCallback(body: string | Uint8Array, options: ParseOptions = {}): CiCallback {
  return guarded(() => {
    const tree = normalised(responseContent(body, options, checkLimit('maxJobs', options.maxJobs, DEFAULT_MAX_CALLBACK_JOBS, 0)));
    if (typeof tree.EventName !== 'string' || (tree.JobsDetail.length === 0 && tree.WorkflowExecution === undefined)) {
      throw new CiError({ code: ErrorCodes.MalformedResponse, message: 'Not a CI callback: expected EventName and JobsDetail' });
    }
    for (const detail of tree.JobsDetail) {
      if (typeof detail?.JobId !== 'string') {
        throw new CiError({ code: ErrorCodes.MalformedResponse, message: 'Not a CI callback: a JobsDetail has no JobId' });
      }
    }
    return tree as CiCallback;
  });
}

/**
 * Parses an error body (XML `<Error>` or JSON) into its CiError; undefined when the body is
 * not one (including a body that cannot be read at all). Never throws for any body.
 */
export function parseErrorBody(body: string | Uint8Array, options: ParseOptions = {}): CiError | undefined {
  let read: Body;
  try {
    read = guarded(() => readBody(body, options, Infinity));
  } catch {
    return undefined;
  }
  return 'error' in read ? read.error : undefined;
}
