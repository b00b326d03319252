/**
 * The error a failed media job reports: `code` and `message` become JobsDetail.Code and
 * JobsDetail.Message (docs/api/results.md#jobsdetail, codes from docs/api/errors.md#codes).
 */

/** CI error codes the media functions report. */
export const MediaErrorCodes = {
  /** The input object does not exist (the caller checks this before calling us). */
  ResourceNotFound: 'ResourceNotFound',
  /** The input is not media, cannot be read, or lacks the stream the job needs. */
  ResourceNotSupported: 'ResourceNotSupported',
  /** A parameter cannot be applied to this input (e.g. Start beyond the end of the video). */
  InvalidArgument: 'InvalidArgument',
  /** ffmpeg/ffprobe is missing or failed; the message says what to install. */
  InternalError: 'InternalError',
} as const;

export type MediaErrorCode = (typeof MediaErrorCodes)[keyof typeof MediaErrorCodes];

export class MediaJobError extends Error {
  readonly code: string;

  constructor(code: MediaErrorCode | string, message: string) {
    super(message);
    this.name = 'MediaJobError';
    this.code = code;
  }
}
