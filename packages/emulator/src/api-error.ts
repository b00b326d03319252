/** An error answered as CI's `<Error>` body (docs/api/errors.md). */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
