/**
 * Node status with an in-flight count, texts from the node's own i18n catalog. Following
 * Node-RED's convention a status stays short: a few words (under about 20 characters), then
 * the job id shortened to its first and last 4 characters.
 */
import type { Node, NodeAPI, NodeStatus } from './node-red';

/** What the status of an ended message says: the catalog key under common.status, and the job and code it names. */
export interface EndedStatus {
  fill: NodeStatus['fill'];
  shape: NodeStatus['shape'];
  key: string;
  jobId?: string;
  code?: string;
}

/** Status keys whose text names a code (and have a `<key>NoCode` wording). */
const WITH_CODE = new Set(['failed', 'error']);

/** `j8f3…` ids in a status: the first 4 and last 4 characters (CI ids are 33). */
function shortJobId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
}

/** An error code in a status: at most 14 characters, so "failed: <code>" stays short (the whole code is in msg.payload.Code). */
function shortCode(code: string): string {
  return code.length > 14 ? `${code.slice(0, 13)}…` : code;
}

export class StatusTracker {
  private inFlight = 0;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
  ) {}

  get count(): number {
    return this.inFlight;
  }

  /** One more message in flight; `key` says what it is doing (`submitting`, `waiting`). */
  begin(key: string, shape: NodeStatus['shape'] = 'dot'): void {
    this.inFlight += 1;
    this.show('blue', shape, key);
  }

  /** One message done; shows the outcome, or the remaining count. */
  end(outcome: EndedStatus): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight > 0) {
      this.show('blue', 'ring', 'waiting');
      return;
    }
    // "failed: <code>" and "error: <code>" have a wording without the code for when CI gave none.
    const key = !outcome.code && WITH_CODE.has(outcome.key) ? `${outcome.key}NoCode` : outcome.key;
    const text = this.RED._(`common.status.${key}`, { id: shortJobId(outcome.jobId ?? ''), code: shortCode(outcome.code ?? '') }).trim();
    this.node.status({ fill: outcome.fill, shape: outcome.shape, text });
  }

  /** One message no longer in flight here, without showing anything (it is handed on). */
  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  show(fill: NodeStatus['fill'], shape: NodeStatus['shape'], key: string): void {
    this.node.status({ fill, shape, text: this.RED._(`common.status.${key}`, { count: this.inFlight }) });
  }

  clear(): void {
    this.inFlight = 0;
    this.node.status({});
  }
}
