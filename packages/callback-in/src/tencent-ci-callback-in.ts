/**
 * Node-RED module: the tencent-ci-callback-in node ("job callback"). CI POSTs a TaskFinish
 * body to the node's URL when a job ends; the node checks the token, answers at once, emits
 * one msg per JobsDetail (each JobId and State once), can re-read the job from the service
 * before trusting the body (callbacks are unsigned), and settles the waits of its config
 * node's JobWatcher, so job and wait nodes finish without polling.
 *
 * Secrets: the token is compared, never written anywhere (logs, warnings, msgs, errors).
 * Texts from the unsigned body reach warnings only when they look like what they claim to
 * be (a JobId, a State, a Code); the body itself never does.
 */
import { JOB_ID_PATTERN, parseCallback, type CiCallback, type CiError, type JobsDetail } from '@node-red-tencent-ci/core';
import {
  connectionOf,
  credentialsOf,
  errorText,
  registerNodeType,
  type CiConnection,
  type Node,
  type NodeAPI,
  type NodeStatus,
} from '@node-red-tencent-ci/config';
import type { RequestHandler } from 'express';
import { claimCallbackBodies } from './body-claim';
import { refusedUnasked, verdictOf, type Verdict } from './confirm';
import { Deliveries, MAX_PENDING_CONFIRMATIONS } from './deliveries';
import { dispatcherFor, type Outcome, type Receiver, type Refusal } from './dispatcher';
import { callbackLimits, type CallbackLimits } from './limits';
import { parseRefusal } from './parse-refusal';
import { maxBytesOf, MAX_PATH_LENGTH, pathOf, TYPE, type CallbackInProps } from './settings';
import { tokenMatches, URL_SAFE, withoutToken } from './token';

const STATE = /^[A-Za-z]{1,32}$/;
const CODE = /^[A-Za-z0-9._-]{1,64}$/;

/** A value from the unsigned body, shown only when it has the expected form. */
function shown(value: unknown, pattern: RegExp): string {
  return typeof value === 'string' && pattern.test(value) ? value : '?';
}

function stateOf(detail: JobsDetail): string {
  const code = detail.Code === undefined || detail.Code === '' ? '' : shown(detail.Code, CODE);
  return `${shown(detail.State, STATE)}${code ? ` (${code})` : ''}`;
}

/** The node's credentials: the token CI's callback URLs carry. */
interface CallbackCredentials {
  token?: string;
}

type CallbackNode = Node<CallbackCredentials>;

export = function register(RED: NodeAPI): void {
  const limits: CallbackLimits = callbackLimits(RED.settings.tencentCi);
  let settingsWarned = false;

  function CallbackInNode(this: CallbackNode, def: CallbackInProps): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const path = pathOf(def.path, def.id);
    const maxBytes = maxBytesOf(def.maxBytes);
    const { maxDepth, maxJobs } = limits;
    const confirm = def.confirm === true || def.confirm === 'true';
    const wired = ((def as { wires?: string[][] }).wires ?? []).some((port) => port.length > 0);
    const token = String(node.credentials?.token ?? '').trim();
    const deliveries = new Deliveries();
    let received = 0;
    let closed = false;

    const show = (fill: NodeStatus['fill'], shape: NodeStatus['shape'], key: string, substitutions: Record<string, unknown> = {}) => {
      node.status({ fill, shape, text: RED._(`callback.status.${key}`, substitutions) });
    };

    if (!settingsWarned) {
      settingsWarned = true;
      for (const limit of limits.invalid) {
        node.warn(RED._('callback.warn.badSetting', { setting: `tencentCi.callback.${limit.name}`, min: limit.min, max: limit.max, used: limit.fallback }));
      }
    }
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
      // The watcher hands its detail to waiting job nodes. They get their own copy when this
      // node's output also goes somewhere (a flow could change what it sends); unwired, the
      // parsed details have no other holder and go as they are.
      if (ci) notify(ci, wired ? structuredClone(details) : details);
      for (const detail of details) {
        node.send({ payload: detail, jobId: detail.JobId, eventName, topic: detail.JobId });
      }
      received += details.length;
      show('green', 'dot', 'received', { count: received });
    }

    /** Drops a claimed detail with a warning; a later delivery of it is considered again. */
    function drop(claimed: JobsDetail, key: string, substitutions: Record<string, unknown> = {}): undefined {
      deliveries.release(claimed);
      if (closed) return undefined;
      const texts = Object.entries({ jobId: shown(claimed.JobId, JOB_ID_PATTERN), ...substitutions }).map(([k, v]) => [k, withoutToken(String(v), token)]);
      node.warn(RED._(`callback.warn.${key}`, Object.fromEntries(texts)));
      return undefined;
    }

    function dropFailed(claimed: JobsDetail, err: unknown): undefined {
      return drop(claimed, 'confirmFailed', { code: (err as CiError | null)?.code ?? 'Error', message: (err as Error | null)?.message ?? String(err) });
    }

    /** Drops a claim the service did not confirm, saying why. */
    function dropUnconfirmed(claimed: JobsDetail, verdict: Exclude<Verdict, 'confirmed'>, actual?: JobsDetail): undefined {
      if (verdict === 'notFound') return drop(claimed, 'notFound');
      if (verdict === 'notTerminal') return drop(claimed, 'notTerminal', { claimed: stateOf(claimed) });
      return drop(claimed, 'mismatch', { claimed: stateOf(claimed), actual: actual ? stateOf(actual) : '?' });
    }

    /** The service's JobsDetail when it confirms the claim, else undefined (dropped with a warning). */
    async function confirmed(claimed: JobsDetail): Promise<JobsDetail | undefined> {
      const unasked = refusedUnasked(claimed);
      if (unasked) return dropUnconfirmed(claimed, unasked);
      const ci = connectionOf(RED, def.config);
      if (!ci) return drop(claimed, 'noConfig');
      let actual: JobsDetail | undefined;
      try {
        actual = await ci.watcher().lookup(claimed.JobId);
      } catch (err) {
        return dropFailed(claimed, err);
      }
      const verdict = verdictOf(claimed, actual);
      if (verdict !== 'confirmed') return dropUnconfirmed(claimed, verdict, actual);
      deliveries.accept(claimed);
      return actual;
    }

    /** Confirms every claimed detail (the watcher batches them), then emits those confirmed, in body order. */
    function confirmThenEmit(claimed: JobsDetail[], eventName: string): void {
      Promise.all(claimed.map((d) => confirmed(d).catch((err: unknown) => dropFailed(d, err)))).then(
        (answers) => {
          if (closed) return;
          emit(
            answers.filter((d): d is JobsDetail => d !== undefined),
            eventName,
          );
          if (answers.includes(undefined)) show('yellow', 'ring', 'dropped', { count: received });
        },
        (err: unknown) => node.error(errorText(err)),
      );
    }

    /** What to answer for a parsed callback, and what to do once answered. */
    function accept(callback: CiCallback): Outcome {
      const fresh = deliveries.fresh(callback.JobsDetail);
      if (!confirm) {
        for (const d of fresh) deliveries.accept(d);
        return { status: 200, after: () => emit(fresh, callback.EventName) };
      }
      if (!deliveries.begin(fresh)) {
        node.warn(RED._('callback.warn.busy', { limit: MAX_PENDING_CONFIRMATIONS }));
        show('yellow', 'ring', 'busy', { count: received });
        return { status: 503 };
      }
      return { status: 200, after: () => confirmThenEmit(fresh, callback.EventName) };
    }

    const receiver: Receiver = {
      maxBytes,
      maxDepth,
      accepts: (candidate) => tokenMatches(token, candidate),
      rejected(refusal: Refusal) {
        switch (refusal.reason) {
          case 'token':
            show('yellow', 'ring', 'unauthorised', { count: received });
            break;
          case 'mediaType':
            node.warn(RED._('callback.warn.mediaType', { type: withoutToken(refusal.mediaType, token) }));
            show('yellow', 'ring', 'mediaType', { count: received });
            break;
          case 'tooLarge':
            node.warn(RED._('callback.warn.tooLarge', { limit: maxBytes }));
            show('yellow', 'ring', 'tooLarge', { count: received });
            break;
          case 'tooDeep':
            node.warn(RED._('callback.warn.tooDeep', { limit: maxDepth }));
            show('yellow', 'ring', 'tooLarge', { count: received });
            break;
        }
      },
      receive(body) {
        let callback: CiCallback;
        try {
          callback = parseCallback(body, { maxBytes, maxDepth, maxJobs });
        } catch (err) {
          const refusal = parseRefusal(err);
          if (refusal === 'tooLarge' || refusal === 'tooDeep') {
            receiver.rejected({ reason: refusal });
            return { status: refusal === 'tooLarge' ? 413 : 400 };
          }
          if (refusal === 'tooManyJobs') {
            node.warn(RED._('callback.warn.tooManyJobs', { limit: maxJobs }));
            show('yellow', 'ring', 'tooLarge', { count: received });
            return { status: 400 };
          }
          // Neither the body nor the parser's message (which may quote it) goes into the log.
          node.warn(RED._('callback.warn.malformed', { bytes: body.length }));
          show('yellow', 'ring', 'malformed', { count: received });
          return { status: 400 };
        }
        return accept(callback);
      },
    };

    // RED.server is undefined when Node-RED runs embedded without a server (see body-claim.ts).
    claimCallbackBodies(RED.server, RED.settings.httpNodeRoot);
    const dispatcher = dispatcherFor(RED.httpNode, { httpNodeMiddleware: RED.settings.httpNodeMiddleware });
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

  registerNodeType(RED, TYPE, CallbackInNode, {
    credentials: { token: { type: 'password' } },
  });

  // The edit dialog shows the full callback URL, token included. Password credentials never
  // reach the editor on their own, so an editor user with write permission fetches it here.
  const tokenRoute: RequestHandler = (req, res) => {
    const id = req.params.id ?? '';
    const deployed = RED.nodes.getNode(id) as { type?: string } | null;
    const token = deployed && deployed.type === TYPE ? credentialsOf<CallbackCredentials>(RED, id)?.token : undefined;
    res.set('Cache-Control', 'no-store');
    if (!token) {
      res.status(404).json({});
      return;
    }
    res.json({ token });
  };
  RED.httpAdmin.get(`/${TYPE}/:id/token`, RED.auth.needsPermission(`${TYPE}.write`), tokenRoute);
};
