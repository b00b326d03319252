/** Ids shaped like the service's: `j` + 32 hex for media jobs, `a` + 32 hex on the AI queue, base64 request ids. */
import { createHash, randomBytes } from 'node:crypto';

export function newJobId(prefix: 'j' | 'a'): string {
  return prefix + randomBytes(16).toString('hex');
}

export function newRequestId(): string {
  return randomBytes(24).toString('base64').replace(/[+/=]/g, '');
}

/** A stable queue id for a bucket: `p` + 32 hex. */
export function queueIdFor(bucket: string, kind: 'media' | 'ai'): string {
  return 'p' + createHash('md5').update(`${bucket}/${kind}`).digest('hex');
}
