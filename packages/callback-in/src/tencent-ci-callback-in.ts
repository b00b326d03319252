/**
 * Node-RED module: the tencent-ci-callback-in node ("job callback"). CI POSTs a TaskFinish
 * body to the node's URL when a job ends; the node checks the token, answers at once, emits
 * one msg per JobsDetail (each JobId and State once), can re-read the job from the service
 * before trusting the body (callbacks are unsigned), and settles the waits of its config
 * node's JobWatcher, so job and wait nodes finish without polling.
 *
 * Secrets: the token is compared, never written anywhere (logs, warnings, msgs, errors).
 * Texts from the unsigned body reach warnings only when they look like what they claim to
 * be (a JobId, a State, a Code).
 */
import { ErrorCodes, parseCallback, type CiCallback, type CiError, type JobsDetail } from '@node-red-tencent-ci/core';
import { connectionOf, type CiConnection, type Node, type NodeAPI, type NodeDef, type NodeStatus } from '@node-red-tencent-ci/config';
import { dispatcherFor, type Receiver } from './dispatcher';
import type { HttpApp, Middleware } from './http';
import { RecentKeys } from './recent-keys';
import { maxBytesOf, MAX_PATH_LENGTH, pathOf, TYPE, type CallbackInProps } from './settings';
import { tokenMatches, URL_SAFE } from './token';

/** JobId + State pairs remembered for deduplication. */
const DEDUPE_KEYS = 1000;

const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;
const STATE = /^[A-Za-z]{1,32}$/;
const CODE = /^[A-Za-z0-9._-]{1,64}$/;

/** A value from the unsigned body, shown only when it has the expected form. */
function shown(value: unknown, pattern: RegExp): string {
  return typeof value === 'string' && pattern.test(value) ? value : '?';
}

function keyOf(detail: JobsDetail): string {
  return `${detail.JobId}\u0000${String(detail.State)}`;
}

function stateOf(detail: JobsDetail): string {
  const code = detail.Code === undefined || detail.Code === '' ? '' : shown(detail.Code, CODE);
  return `${shown(detail.State, STATE)}${code ? ` (${code})` : ''}`;
}

export = function register(RED: NodeAPI): void {
  function CallbackInNode(this: Node, def: CallbackInProps): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const path = pathOf(def.path, def.id);
    const maxBytes = maxBytesOf(def.maxBytes);
    const confirm = def.confirm === true || def.confirm === 'true';
    const token = String(node.credentials?.token ?? '').trim();
    const seen = new RecentKeys(DEDUPE_KEYS);
    let received = 0;
    let closed = false;

    const show = (fill: NodeStatus['fill'], shape: NodeStatus['shape'], key: string, substitutions: Record<string, unknown> = {}) => {
      node.status({ fill, shape, text: RED._(`callback.status.${key}`, substitutions) });
    };

    if (RED.settings.httpNodeRoot === false) {
      node.warn(RED._('callback.warn.noHttpNode'));
      show('red', 'ring', 'noHttpNode');
      return;
    }
    if (!URL_SAFE.test(path) || path.length > MAX_PATH_LENGTH) {
      node.warn(RED._('callback.warn.invalidPath'));
      show('red', 'ring', 'invalidPath');
      return;
    }

    function notify(ci: CiConnection, details: JobsDetail[]): void {
      try {
        ci.notify(details);
      } catch {
        // No client (e.g. no credentials anywhere): then no job or wait node can be waiting either.
      }
    }

    function emit(details: JobsDetail[], eventName: string): void {
      if (closed || details.length === 0) return;
      const ci = connectionOf(RED, def.config);
      // The watcher hands its detail to waiting job nodes: they get their own copy.
      if (ci) notify(ci, structuredClone(details));
      for (const detail of details) {
        node.send({ payload: detail, jobId: detail.JobId, eventName, topic: detail.JobId });
      }
      received += details.length;
      show('green', 'dot', 'received', { count: received });
    }

    /** Drops a claimed detail with a warning; a later delivery of it is considered again. */
    function drop(detail: JobsDetail, key: string, substitutions: Record<string, unknown> = {}): void {
      seen.delete(keyOf(detail));
      node.warn(RED._(`callback.warn.${key}`, { jobId: shown(detail.JobId, JOB_ID), ...substitutions }));
    }

    /** The service's JobsDetail for each claimed one it confirms (same State and Code). */
    async function confirmed(claimed: JobsDetail[]): Promise<JobsDetail[]> {
      const ci = connectionOf(RED, def.config);
      if (!ci) {
        for (const d of claimed) drop(d, 'noConfig');
        return [];
      }
      const valid = claimed.filter((d) => {
        if (JOB_ID.test(d.JobId)) return true;
        drop(d, 'notFound');
        return false;
      });
      if (valid.length === 0) return [];
      let answer: { JobsDetail: JobsDetail[] };
      try {
        answer = await ci.client().describe(valid.map((d) => d.JobId));
      } catch (err) {
        const code = (err as CiError).code ?? 'Error';
        for (const d of valid) drop(d, 'confirmFailed', { code, message: (err as Error).message });
        return [];
      }
      const byId = new Map(answer.JobsDetail.map((d) => [d.JobId, d]));
      const out: JobsDetail[] = [];
      for (const d of valid) {
        const actual = byId.get(d.JobId);
        if (!actual) drop(d, 'notFound');
        else if (actual.State !== d.State || (actual.Code ?? '') !== (d.Code ?? '')) drop(d, 'mismatch', { claimed: stateOf(d), actual: stateOf(actual) });
        else out.push(actual);
      }
      return out;
    }

    function handle(callback: CiCallback): void {
      const fresh = callback.JobsDetail.filter((d) => seen.add(keyOf(d)));
      if (fresh.length === 0) return;
      if (!confirm) {
        emit(fresh, callback.EventName);
        return;
      }
      confirmed(fresh).then(
        (details) => {
          if (closed) return;
          emit(details, callback.EventName);
          if (details.length < fresh.length) show('yellow', 'ring', 'dropped', { count: received });
        },
        (err: Error) => node.error(err),
      );
    }

    const receiver: Receiver = {
      maxBytes,
      accepts: (candidate) => tokenMatches(token, candidate),
      rejected(reason) {
        if (reason === 'tooLarge') {
          node.warn(RED._('callback.warn.tooLarge', { limit: maxBytes }));
          show('yellow', 'ring', 'tooLarge', { count: received });
        } else {
          show('yellow', 'ring', 'unauthorised', { count: received });
        }
      },
      receive(body) {
        let callback: CiCallback;
        try {
          callback = parseCallback(body, { maxBytes });
        } catch (err) {
          if ((err as CiError).code === ErrorCodes.BodyTooLarge) {
            receiver.rejected('tooLarge');
            return { status: 413 };
          }
          // Neither the body nor the parser's message (which may quote it) goes into the log.
          node.warn(RED._('callback.warn.malformed', { bytes: body.length }));
          show('yellow', 'ring', 'malformed', { count: received });
          return { status: 400 };
        }
        return {
          status: 200,
          after: () => {
            try {
              handle(callback);
            } catch (err) {
              node.error(err);
            }
          },
        };
      },
    };

    const dispatcher = dispatcherFor(RED.httpNode as unknown as HttpApp, { httpNodeMiddleware: RED.settings.httpNodeMiddleware });
    if (!dispatcher.register(path, receiver)) {
      node.warn(RED._('callback.warn.pathInUse', { path }));
      show('red', 'ring', 'pathInUse', { path });
      return;
    }
    if (!token) {
      node.warn(RED._('callback.warn.noToken'));
      show('red', 'ring', 'noToken');
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      dispatcher.unregister(path, receiver);
      node.status({});
      done();
    });
  }

  RED.nodes.registerType(TYPE, CallbackInNode as unknown as (this: Node, def: NodeDef) => void, {
    credentials: { token: { type: 'password' } },
  });

  // The edit dialog shows the full callback URL, token included. Password credentials never
  // reach the editor on their own, so an editor user with write permission fetches it here.
  const tokenRoute: Middleware = (req, res) => {
    const id = req.params.id ?? '';
    const deployed = RED.nodes.getNode(id) as { type?: string } | null;
    const token = deployed && deployed.type === TYPE ? RED.nodes.getCredentials(id)?.token : undefined;
    res.set('Cache-Control', 'no-store');
    if (!token) {
      res.status(404).json({});
      return;
    }
    res.json({ token });
  };
  (RED.httpAdmin as unknown as HttpApp).get(`/${TYPE}/:id/token`, RED.auth.needsPermission(`${TYPE}.write`) as unknown as Middleware, tokenRoute);
};
