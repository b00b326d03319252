/** Bucket folders: `<root>/<BucketName-APPID>/<object key>`, with keys kept inside their bucket. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Errors } from './api-error';

const BUCKET = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-\d+$/;

export class Buckets {
  constructor(readonly root: string) {}

  /** The file of an object; throws InvalidArgument for a key that would leave the bucket. */
  file(bucket: string, key: string): string {
    if (!BUCKET.test(bucket)) throw Errors.invalidArgument(`Bucket ${bucket} is not a valid BucketName-APPID.`);
    const k = key.replace(/^\/+/, '');
    if (k === '' || k.split('/').some((seg) => seg === '..' || seg === '.') || k.includes('\0')) {
      throw Errors.invalidArgument(`Object key ${JSON.stringify(key)} is not valid.`);
    }
    const base = resolve(this.root, bucket);
    const file = resolve(base, k);
    if (!file.startsWith(base + sep)) throw Errors.invalidArgument(`Object key ${JSON.stringify(key)} is not valid.`);
    return file;
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    try {
      return (await stat(this.file(bucket, key))).isFile();
    } catch {
      return false;
    }
  }

  async put(bucket: string, key: string, data: Buffer): Promise<string> {
    const file = this.file(bucket, key);
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, file);
    return `"${createHash('md5').update(data).digest('hex')}"`;
  }

  async head(bucket: string, key: string): Promise<{ size: number; mtime: Date }> {
    try {
      const s = await stat(this.file(bucket, key));
      if (!s.isFile()) throw new Error('not a file');
      return { size: s.size, mtime: s.mtime };
    } catch (err) {
      if (err instanceof Error && 'status' in err) throw err;
      throw Errors.noSuchKey(key);
    }
  }

  read(bucket: string, key: string): NodeJS.ReadableStream {
    return createReadStream(this.file(bucket, key));
  }

  async hasBucket(bucket: string): Promise<boolean> {
    if (!BUCKET.test(bucket)) return false;
    try {
      return (await stat(join(this.root, bucket))).isDirectory();
    } catch {
      return false;
    }
  }

  async ensureBucket(bucket: string): Promise<void> {
    await mkdir(join(this.root, bucket), { recursive: true });
  }
}

const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  flv: 'video/x-flv',
  ts: 'video/mp2t',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  json: 'application/json',
  xml: 'application/xml',
  txt: 'text/plain',
};

export function contentTypeOf(key: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) || 'application/octet-stream';
}
