/**
 * Node-RED module: the `tencent-ci-list-objects` node. On each message it lists the objects
 * of the config node's bucket (COS "GET Bucket (List Objects)",
 * https://cloud.tencent.com/document/product/436/7734, docs/api/objects.md#list-objects)
 * under a prefix, page after page through core's `CiClient.listObjects`, keeps the keys that
 * end with one of the node's file endings, and sends one message with them, optionally each
 * with a pre-signed link.
 */
import { CiError, describeValue, type CiClient, type ListedObject } from '@node-red-tencent-ci/core';
import {
  connectionOf,
  endWithError,
  evaluateProperty,
  registerNodeType,
  StatusTracker,
  type DoneFn,
  type Node,
  type NodeAPI,
  type NodeDef,
  type NodeMessage,
  type SendFn,
} from '@node-red-tencent-ci/config';
// The job nodes' Link validity rule (blank or below 1 s: 3600 s), shared rather than copied.
import { outputSettings } from '@node-red-tencent-ci/config/dist/job-outputs';

const NODE_TYPE = 'tencent-ci-list-objects';

/** Objects a message holds at most unless the node says otherwise, and the bounds of the setting. */
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 100_000;
/** Keys and common prefixes asked for per request: COS's largest page. */
const MAX_PAGE = 1000;

interface ListObjectsNodeProps extends NodeDef {
  config?: string;
  /** Only keys starting with this: a TypedInput (str, msg, flow, global, env); `msg.prefix` overrides. */
  prefix?: string;
  prefixType?: string;
  /** e.g. `/`: keys with it after the prefix become `msg.prefixes`; `msg.delimiter` overrides. */
  delimiter?: string;
  /** Comma-separated file name endings to keep (`.mp4,.mov`), any case; blank keeps every key. */
  suffixes?: string;
  /** Objects at most in one message, across pages. */
  limit?: number | string;
  /** Add a pre-signed `url` to each object. */
  links?: boolean;
  /** Seconds a link stays valid. */
  linkValidity?: number | string;
  /** Keys per request (1–1000, default 1000); not in the editor: for tests and tuning. */
  pageSize?: number | string;
}

/** One entry of `msg.payload`. */
interface ListedEntry {
  key: string;
  size: number;
  lastModified: string;
  etag: string;
  url?: string;
}

/** A whole number in [min, max] from a number or numeric text; blank or missing is `fallback`; else undefined. */
function wholeNumber(value: unknown, min: number, max: number, fallback: number): number | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** `.mp4, .MOV,` → ['.mp4', '.mov']. */
function suffixesOf(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

export = function register(RED: NodeAPI): void {
  function userError(key: string, substitutions: Record<string, unknown> = {}, code = 'InvalidArgument'): CiError {
    return new CiError({ code, message: RED._(key, substitutions) });
  }

  function ListObjectsNode(this: Node, def: ListObjectsNodeProps): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new StatusTracker(RED, node);
    const prefixValue = typeof def.prefix === 'string' ? def.prefix : '';
    const prefixType = def.prefixType || 'str';
    const nodeDelimiter = typeof def.delimiter === 'string' ? def.delimiter : '';
    const suffixes = suffixesOf(def.suffixes);
    const limit = wholeNumber(def.limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
    const pageSize = wholeNumber(def.pageSize, 1, MAX_PAGE, MAX_PAGE);
    const links = def.links === true || (def.links as unknown) === 'true';
    const { linkValidity } = outputSettings({ linkValidity: def.linkValidity });
    /** Lists in progress, which closing the node waits for. */
    const pending = new Set<Promise<void>>();

    /** A setting the node cannot work with, as the error every message ends with. */
    function settingsError(): CiError | undefined {
      if (limit === undefined) return userError('listObjects.errors.limit', { value: describeValue(def.limit), max: MAX_LIMIT });
      if (pageSize === undefined) return userError('listObjects.errors.pageSize', { value: describeValue(def.pageSize), max: MAX_PAGE });
      return undefined;
    }

    /** A prefix or delimiter read from `property`: text, or nothing (''). */
    function text(value: unknown, property: string): string {
      if (value === undefined || value === null) return '';
      if (typeof value !== 'string') throw userError('listObjects.errors.text', { property, value: describeValue(value) });
      return value;
    }

    /** `msg.prefix` when the message has one (as `msg.ciParams` overrides a job node's settings), else the node's Prefix. */
    async function prefixOf(msg: NodeMessage): Promise<string> {
      if (msg.prefix !== undefined) return text(msg.prefix, 'msg.prefix');
      if (prefixType === 'str') return prefixValue;
      return text(await evaluateProperty(RED, node, msg, prefixValue, prefixType), `${prefixType}.${prefixValue}`);
    }

    function keep(object: ListedObject): boolean {
      if (suffixes.length === 0) return true;
      const key = object.key.toLowerCase();
      return suffixes.some((suffix) => key.endsWith(suffix));
    }

    function entryOf(client: CiClient, object: ListedObject): ListedEntry {
      const entry: ListedEntry = { key: object.key, size: object.size, lastModified: object.lastModified, etag: object.etag };
      if (links) entry.url = client.objectUrl(object.key, { expiresIn: linkValidity });
      return entry;
    }

    /** Pages through the listing until `max` objects are kept or it ends. */
    async function list(client: CiClient, prefix: string, delimiter: string, max: number) {
      const objects: ListedEntry[] = [];
      const prefixes: string[] = [];
      let marker: string | undefined;
      for (;;) {
        // Without a filter every key counts, so a page need not be longer than what is left.
        const maxKeys = suffixes.length === 0 ? Math.min(pageSize!, max - objects.length) : pageSize!;
        const page = await client.listObjects({ prefix, delimiter, marker, maxKeys });
        for (const common of page.commonPrefixes) if (!prefixes.includes(common)) prefixes.push(common);
        const kept = page.contents.filter(keep);
        const taken = kept.slice(0, max - objects.length);
        for (const object of taken) objects.push(entryOf(client, object));
        const more = page.isTruncated && page.nextMarker !== undefined;
        // Stopped by the limit: objects of this page left over, or pages not listed.
        if (objects.length >= max) return { objects, prefixes, truncated: taken.length < kept.length || more };
        if (!more) return { objects, prefixes, truncated: false };
        marker = page.nextMarker;
      }
    }

    async function handle(msg: NodeMessage, send: SendFn, done: DoneFn): Promise<void> {
      const invalid = settingsError();
      if (invalid) throw invalid;
      const ci = connectionOf(RED, def.config);
      if (!ci) throw userError('common.errors.noConfig', {}, 'MissingConfig');
      const prefix = await prefixOf(msg);
      const delimiter = msg.delimiter !== undefined ? text(msg.delimiter, 'msg.delimiter') : nodeDelimiter;
      const client = ci.client(); // throws when credentials are missing
      node.status({ fill: 'blue', shape: 'dot', text: RED._('listObjects.status.listing', { count: pending.size }) });
      let result: Awaited<ReturnType<typeof list>>;
      try {
        result = await list(client, prefix, delimiter, limit!);
      } catch (err) {
        status.end({ fill: 'red', shape: 'ring', key: 'error', code: err instanceof CiError ? err.code : undefined });
        throw err;
      }
      msg.payload = result.objects;
      if (delimiter) msg.prefixes = result.prefixes;
      msg.ci = { bucket: ci.bucket, region: ci.region, prefix, truncated: result.truncated };
      const shown = RED._(result.truncated ? 'listObjects.status.truncated' : 'listObjects.status.listed', { count: result.objects.length });
      node.status({ fill: 'green', shape: 'dot', text: shown });
      send(msg);
      done();
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      const run = handle(msg, send, done)
        .catch((err: unknown) => endWithError(RED, node, done, err))
        .finally(() => pending.delete(run));
      pending.add(run);
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      Promise.allSettled([...pending]).then(() => {
        status.clear();
        done();
      });
    });
  }

  registerNodeType(RED, NODE_TYPE, ListObjectsNode);
};
