/** Bucket folders: `<root>/<BucketName-APPID>/<object key>`, with keys kept inside their bucket. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Errors } from './api-error';

const BUCKET = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-\d+$/;
/** The temp file of a PUT in progress (`put` below): never an object. */
const PUT_TEMP = /\.\d+\.\d+\.tmp$/;
/** ETags remembered at most (by file, size and mtime). */
const ETAGS_KEPT = 10_000;

/** An object as a listing shows it. */
export interface ObjectEntry {
  key: string;
  size: number;
  mtime: Date;
}

export class Buckets {
  /** MD5 ETags by file, valid while the file keeps its size and mtime. */
  readonly #etags = new Map<string, { size: number; mtimeMs: number; etag: string }>();

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
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    const s = await stat(file);
    this.#remember(file, s.size, s.mtimeMs, etag);
    return etag;
  }

  /**
   * The object's ETag as COS gives a simply uploaded object: its MD5 in hex, in quotes.
   * Computed once per file content (size and mtime), so a large video is hashed once.
   */
  async etag(bucket: string, key: string): Promise<string> {
    const file = this.file(bucket, key);
    const s = await stat(file);
    const kept = this.#etags.get(file);
    if (kept && kept.size === s.size && kept.mtimeMs === s.mtimeMs) return kept.etag;
    const hash = createHash('md5');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    const etag = `"${hash.digest('hex')}"`;
    this.#remember(file, s.size, s.mtimeMs, etag);
    return etag;
  }

  #remember(file: string, size: number, mtimeMs: number, etag: string): void {
    if (this.#etags.size >= ETAGS_KEPT && !this.#etags.has(file)) this.#etags.clear();
    this.#etags.set(file, { size, mtimeMs, etag });
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

  /** The object's bytes, or bytes `start` to `end` (inclusive) of it. */
  read(bucket: string, key: string, range?: { start: number; end: number }): NodeJS.ReadableStream {
    return createReadStream(this.file(bucket, key), range);
  }

  /**
   * The objects whose keys start with `prefix`: every regular file under the bucket folder
   * (not directories, links or pipes, nor a PUT's temp file), keys joined with '/', unsorted.
   * Only the folder the prefix names is walked.
   */
  async list(bucket: string, prefix = ''): Promise<ObjectEntry[]> {
    if (!BUCKET.test(bucket)) throw Errors.invalidArgument(`Bucket ${bucket} is not a valid BucketName-APPID.`);
    const base = resolve(this.root, bucket);
    // Keys never have empty, '.' or '..' segments, so a prefix whose folder part has one matches nothing.
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const segments = folder.split('/').slice(0, -1);
    if (segments.some((seg) => seg === '' || seg === '.' || seg === '..') || prefix.includes('\0')) return [];
    const out: ObjectEntry[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // gone, or not a folder
      }
      for (const entry of entries) {
        const key = keyPrefix + entry.name;
        if (entry.isDirectory()) {
          if ((key + '/').startsWith(prefix) || prefix.startsWith(key + '/')) await walk(join(dir, entry.name), key + '/');
        } else if (entry.isFile() && key.startsWith(prefix) && !PUT_TEMP.test(entry.name)) {
          try {
            const s = await stat(join(dir, entry.name));
            out.push({ key, size: s.size, mtime: s.mtime });
          } catch {
            // removed while listing
          }
        }
      }
    };
    await walk(folder ? join(base, ...segments) : base, folder);
    return out;
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

/**
 * Content-Type by extension: what the official Node SDK's putObject sends for a file of that
 * name (it uses mime-types 2.1 / mime-db 1.52, sdk/base.js submitRequest), so what COS would
 * store for an object the SDK uploaded. Anything else is application/octet-stream.
 */
const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  heic: 'image/heic',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  flv: 'video/x-flv',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/x-aac',
  wav: 'audio/wave',
  flac: 'audio/x-flac',
  ogg: 'audio/ogg',
  amr: 'audio/amr',
  json: 'application/json',
  xml: 'application/xml',
  txt: 'text/plain',
  srt: 'application/x-subrip',
  vtt: 'text/vtt',
};

export function contentTypeOf(key: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) || 'application/octet-stream';
}
