/**
 * The runtime side of the editor's "Tencent CI" sidebar tab, the Node-RED plugin
 * `tencent-ci-sidebar` (package.json `node-red.plugins`, loaded from tencent-ci-sidebar.ts;
 * its editor side is dist/tencent-ci-sidebar.html, from editor/browser/sidebar.ts).
 *
 * - Publishes the job board's deltas (tracking/job-board.ts) over Node-RED's comms as
 *   `tencent-ci/jobs/<configId>`: the editor subscribes to `tencent-ci/jobs/#`, and fetches
 *   the whole list once when it opens the tab (and after a reconnect or a missed delta).
 * - Admin endpoints, under Node-RED's permissions (`tencent-ci.read`, `tencent-ci.write`):
 *     GET  /tencent-ci/jobs                             every config node's jobs
 *     GET  /tencent-ci/jobs/:configId/:jobId            a listed job's JobsDetail
 *     POST /tencent-ci/jobs/:configId/:jobId/cancel     cancels a listed job in flight
 *     GET  /tencent-ci/object/:configId?key=…           an output object a listed job shows
 *   The object is read with the config node's own credentials (the browser never sees a key,
 *   and private buckets work), only when it is an output of a job the board lists (so this is
 *   no proxy to the bucket), at most 2 MiB (413 beyond), and sent with its Content-Type.
 * - settings.js: `tencentCi: { sidebar: { recent: 50 } }`, the finished jobs kept per config node.
 */
import { CiError, isJobId, isObject, jobOutputs, wholeNumberSetting, type JobObjectOutput, type JobsDetail } from '@node-red-tencent-ci/core';
import type { Request, Response } from 'express';
import { connectionOf } from './connection';
import type { NodeAPI } from './node-red';
import type { JobsAnswer } from './tracking/board-wire';
import { DEFAULT_RECENT, jobBoard, type BoardOutput } from './tracking/job-board';

export const PLUGIN_ID = 'tencent-ci-sidebar';
/** The comms topic of a config node's deltas. */
export const TOPIC_PREFIX = 'tencent-ci/jobs/';
/** Largest object the sidebar fetches (thumbnails). */
export const MAX_OBJECT_BYTES = 2 * 1024 * 1024;
/** Largest `recent` setting. */
export const MAX_RECENT = 1000;

/** Content types a browser shows as an image without running anything in it (not SVG). */
const INLINE_TYPES = /^image\/(?:jpeg|png|gif|webp|bmp|avif)$/i;

/** `settings.tencentCi.sidebar.recent`, or the default with `invalid` when it is set but not a whole number in [0, 1000]. */
export function recentSetting(tencentCi: unknown): { recent: number; invalid: boolean } {
  const sidebar = isObject(tencentCi) && isObject(tencentCi.sidebar) ? tencentCi.sidebar : {};
  const value = wholeNumberSetting(sidebar.recent, 0, MAX_RECENT);
  return value === 'invalid' ? { recent: DEFAULT_RECENT, invalid: true } : { recent: value ?? DEFAULT_RECENT, invalid: false };
}

/**
 * The output objects of a job that the sidebar can fetch through a config node: core's
 * jobOutputs in the config node's own bucket and region (the only ones its client reads).
 */
export function fetchableOutputs(RED: NodeAPI, configId: string, detail: JobsDetail): BoardOutput[] {
  const ci = connectionOf(RED, configId);
  if (!ci) return [];
  return jobOutputs(detail, { bucket: ci.bucket, region: ci.region }).filter(
    (o): o is JobObjectOutput => o.key !== undefined && o.bucket === ci.bucket && o.region === ci.region,
  );
}

/** The runtime the plugin was registered with last (Node-RED registers it once; the test helper once per flow it loads). */
let current: NodeAPI | undefined;
let unsubscribe: (() => void) | undefined;
const pruning = new WeakSet<object>();

function errorBody(err: unknown): { code: string; message: string } {
  const e = err as Partial<CiError> & { message?: string };
  return { code: typeof e.code === 'string' ? e.code : 'Error', message: typeof e.message === 'string' ? e.message : String(err) };
}

function routes(RED: NodeAPI): void {
  const read = RED.auth.needsPermission('tencent-ci.read');
  const write = RED.auth.needsPermission('tencent-ci.write');
  const refuse = (res: Response, status: number, code: string, key: string, subs?: Record<string, unknown>) =>
    res.status(status).json({ code, message: RED._(`sidebar.errors.${key}`, subs) });
  const params = (req: Request) => ({ configId: String(req.params.configId ?? ''), jobId: String(req.params.jobId ?? '') });

  RED.httpAdmin.get('/tencent-ci/jobs', read, (_req: Request, res: Response) => {
    const answer: JobsAnswer = { recent: jobBoard.recent, configs: jobBoard.list() };
    res.json(answer);
  });

  RED.httpAdmin.get('/tencent-ci/jobs/:configId/:jobId', read, (req: Request, res: Response) => {
    const { configId, jobId } = params(req);
    if (!jobBoard.status(configId, jobId)) return void refuse(res, 404, 'UnknownJob', 'unknownJob', { jobId });
    const kept = jobBoard.detailJson(configId, jobId);
    if (kept !== undefined) return void res.type('application/json').send(kept);
    // In flight, or too large to keep: the service's answer now, through the watcher's batches.
    const ci = connectionOf(RED, configId);
    if (!ci) return void refuse(res, 404, 'NoConfig', 'noConfig');
    Promise.resolve()
      .then(() => ci.watcher().lookup(jobId))
      .then((detail) => (detail ? res.json(detail) : refuse(res, 404, 'JobNotFound', 'notFound', { jobId })))
      .catch((err: unknown) => res.status(502).json(errorBody(err)));
  });

  RED.httpAdmin.post('/tencent-ci/jobs/:configId/:jobId/cancel', write, (req: Request, res: Response) => {
    const { configId, jobId } = params(req);
    if (!isJobId(jobId)) return void refuse(res, 400, 'InvalidArgument', 'badJobId');
    const status = jobBoard.status(configId, jobId);
    if (!status) return void refuse(res, 404, 'UnknownJob', 'unknownJob', { jobId });
    if (status !== 'in-flight') return void refuse(res, 409, 'JobEnded', 'ended', { jobId });
    const ci = connectionOf(RED, configId);
    if (!ci) return void refuse(res, 404, 'NoConfig', 'noConfig');
    const audit: Parameters<NodeAPI['log']['audit']>[0] & Record<string, unknown> = {
      level: RED.log.AUDIT,
      event: 'tencent-ci.jobs.cancel',
      config: configId,
      jobId,
    };
    RED.log.audit(audit, req);
    Promise.resolve()
      .then(() => ci.client().cancel(jobId))
      .then(
        () => {
          res.json({ ok: true });
          // Learn the Cancel at once: the waits end now rather than at their next check.
          ci.watcher()
            .lookup(jobId)
            .catch(() => undefined);
        },
        (err: unknown) => res.status(502).json(errorBody(err)),
      );
  });

  RED.httpAdmin.get('/tencent-ci/object/:configId', read, (req: Request, res: Response) => {
    const configId = String(req.params.configId ?? '');
    const key = typeof req.query.key === 'string' ? req.query.key : '';
    const output = key ? jobBoard.output(configId, key) : undefined;
    if (!output) return void refuse(res, 404, 'UnknownObject', 'unknownObject');
    const ci = connectionOf(RED, configId);
    if (!ci) return void refuse(res, 404, 'NoConfig', 'noConfig');
    Promise.resolve()
      .then(() => ci.client().getObject(key, { maxBytes: MAX_OBJECT_BYTES }))
      .then((object) => {
        const type = object.contentType || 'application/octet-stream';
        res.set({
          'Content-Type': type,
          'Cache-Control': 'private, max-age=300',
          'X-Content-Type-Options': 'nosniff',
          // Whatever the bucket holds, nothing in it runs in the editor's origin.
          'Content-Security-Policy': "default-src 'none'; sandbox",
        });
        if (!INLINE_TYPES.test(type.split(';')[0]!.trim())) res.set('Content-Disposition', 'attachment');
        res.send(object.body);
      })
      .catch((err: unknown) => {
        const { code, message } = errorBody(err);
        if (code === 'BodyTooLarge') return void refuse(res, 413, code, 'tooLarge', { limit: MAX_OBJECT_BYTES });
        res.status(code === 'NoSuchKey' ? 404 : 502).json({ code, message });
      });
  });
}

/** Sets the sidebar's runtime side up: settings, publishing, admin routes. */
export function registerSidebar(RED: NodeAPI): void {
  const { recent, invalid } = recentSetting(RED.settings.tencentCi);
  if (invalid) RED.log.warn(RED._('sidebar.warn.badRecent', { max: MAX_RECENT, used: recent }));
  current = RED;
  jobBoard.configure({ recent, outputsOf: (configId, detail) => (current ? fetchableOutputs(current, configId, detail) : []) });
  unsubscribe?.();
  unsubscribe = jobBoard.subscribe((configId, delta) => current?.comms.publish(`${TOPIC_PREFIX}${configId}`, delta, false));
  const events = RED.events as unknown as { on(event: string, fn: () => void): unknown } | undefined;
  if (events && !pruning.has(events)) {
    pruning.add(events);
    // Waits whose node was deleted while they were handed on are gone after a start (job-tracker.ts drops them too).
    events.on('flows:started', () => jobBoard.prune((id) => Boolean(current?.nodes.getNode(id))));
  }
  // The editor side registers itself (RED.plugins.registerPlugin in the HTML); the runtime needs no definition.
  routes(RED);
}
