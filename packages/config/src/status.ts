/** Node status with an in-flight count, texts from the node's own i18n catalog. */
import type { Node, NodeAPI, NodeStatus } from './node-red';

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
  end(outcome: { fill: NodeStatus['fill']; shape: NodeStatus['shape']; key: string; detail?: string }): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight > 0) {
      this.show('blue', 'ring', 'waiting');
      return;
    }
    const text = this.RED._(`common.status.${outcome.key}`, { detail: outcome.detail ?? '' });
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
