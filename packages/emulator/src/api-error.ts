/** An error answered as CI's or COS's `<Error>` body (docs/api/errors.md). */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (e.g. `Content-Range` on a 416). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** The documented codes this emulator answers with, and their statuses (docs/api/errors.md#codes). */
export const Errors = {
  invalidArgument: (message: string) => new ApiError(400, 'InvalidArgument', message),
  missingContent: () => new ApiError(400, 'MissingContent', 'The request body is missing.'),
  invalidContent: (message: string) => new ApiError(400, 'InvalidContent', message),
  bodyTooLarge: (limit: number) => new ApiError(413, 'InvalidContent', `The request body is larger than ${limit} bytes.`),
  invalidHost: (host: string) => new ApiError(400, 'InvalidHost', `The Host ${host} is not a CI host of this service.`),
  resourceNotFound: (key: string) => new ApiError(400, 'ResourceNotFound', `The input object ${key} does not exist.`),
  missingAuthorization: () => new ApiError(401, 'MissingAuthorization', 'The Authorization header is missing.'),
  invalidAuthorization: (message: string) => new ApiError(401, 'InvalidAuthorization', message),
  signatureMismatch: () =>
    new ApiError(
      401,
      'AccessDenied',
      'The request signature we calculated does not match the signature you provided. Check your SecretKey and signing method.',
    ),
  secretIdNotExist: () => new ApiError(401, 'SecretidNotExist', 'The SecretId does not exist.'),
  signatureExpired: (message: string) => new ApiError(401, 'SignatureExpired', message),
  tokenInvalid: () => new ApiError(403, 'AccessDenied', 'The security token is missing or does not match.'),
  missingContentLength: () => new ApiError(411, 'MissingContentLength', 'The Content-Length header is missing.'),
  invalidUrl: (path: string) => new ApiError(404, 'InvalidUrl', `No such API: ${path}`),
  noSuchKey: (key: string) => new ApiError(404, 'NoSuchKey', `The object ${key} does not exist.`),
  slowDown: () => new ApiError(429, 'SlowDown', 'Please decrease the access frequency.'),
  internal: () => new ApiError(500, 'InternalError', 'Internal error (injected fault).'),
  unavailable: () => new ApiError(503, 'ServiceUnavailable', 'Service is temporarily unavailable, please try again (injected fault).'),
} as const;

/**
 * COS's codes, for object and bucket requests (the COS host, and objects on any host).
 * Codes and statuses: COS "Error Codes" (https://cloud.tencent.com/document/product/436/7730)
 * and "403 Error for COS Access" (https://www.tencentcloud.com/document/product/436/40105):
 * an unsigned request to a private object is `AccessDenied` "Access Denied.", a wrong SecretId
 * `InvalidAccessKeyId`, an expired signature `AccessDenied` "Request has expired" (the
 * official SDKs match that exact Message to correct their clock, sdk/base.js getRetryInfo), a
 * clock too far off `RequestTimeTooSkewed`, a wrong signature `SignatureDoesNotMatch`; all 403.
 * The choices for cases no page names are in docs/emulator.md ("Objects").
 */
export const CosErrors = {
  anonymous: () => new ApiError(403, 'AccessDenied', 'Access Denied.'),
  /** A malformed signature (in the Authorization header or the query string) [I]. */
  malformedSignature: (message: string) => new ApiError(403, 'AccessDenied', message),
  invalidAccessKeyId: (detail = '') => new ApiError(403, 'InvalidAccessKeyId', `The access key Id format you provided is invalid.${detail}`),
  requestExpired: () => new ApiError(403, 'AccessDenied', 'Request has expired'),
  requestTimeTooSkewed: () => new ApiError(403, 'RequestTimeTooSkewed', "The difference between the request time and the server's time is too large."),
  signatureDoesNotMatch: (detail = '') =>
    new ApiError(
      403,
      'SignatureDoesNotMatch',
      `The request signature we calculated does not match the signature you provided. Check your key and signing method.${detail}`,
    ),
  noSuchBucket: () => new ApiError(404, 'NoSuchBucket', 'The specified bucket does not exist.'),
  noSuchKey: () => new ApiError(404, 'NoSuchKey', 'The specified key does not exist.'),
  methodNotAllowed: () => new ApiError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.'),
  invalidRange: (size: number) => new ApiError(416, 'InvalidRange', 'The requested range is not satisfiable.', { 'Content-Range': `bytes */${size}` }),
} as const;
