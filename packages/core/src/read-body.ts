/**
 * Reads a request body up to a byte limit. Over the limit it stops collecting and leaves the
 * stream alone, so that the server can still answer 413 on the same connection; a request
 * that ends before its body is complete is `aborted`.
 */
import type { Readable } from 'node:stream';

export type BodyResult = { kind: 'body'; body: Buffer } | { kind: 'tooLarge' } | { kind: 'aborted' };

/** The stream a server reads a request body from (`http.IncomingMessage` is one). */
export type BodyStream = Readable & { complete?: boolean };

export function readBody(stream: BodyStream, maxBytes = Number.POSITIVE_INFINITY): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onAborted);
      stream.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += buf.length;
      if (size > maxBytes) {
        chunks.length = 0;
        settle({ kind: 'tooLarge' });
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => settle({ kind: 'body', body: Buffer.concat(chunks, size) });
    const onAborted = () => settle({ kind: 'aborted' });
    // An http.IncomingMessage is `complete` once its whole body arrived; other streams once ended.
    const onClose = () => {
      if (!(stream.complete ?? stream.readableEnded)) onAborted();
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onAborted);
    stream.on('close', onClose);
  });
}
