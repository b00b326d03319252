/** The part of node-red-node-test-helper 0.3.x these tests use (the package ships no types). */
declare module 'node-red-node-test-helper' {
  interface TestNode {
    id: string;
    type: string;
    receive(msg: Record<string, unknown>): void;
    on(event: string, listener: (...args: any[]) => void): void;
    close(removed?: boolean): Promise<void>;
    context(): {
      get(key: string, cb: (err: Error | null, value: unknown) => void): void;
      get(key: string, store: string | undefined, cb: (err: Error | null, value: unknown) => void): void;
    };
    [key: string]: any;
  }

  interface NodeTestHelper {
    init(runtimePath?: string, userSettings?: Record<string, unknown>): void;
    /** Replaces the runtime settings used by the next load() (merged over Node-RED's defaults). */
    settings(userSettings?: Record<string, unknown>): Record<string, unknown>;
    load(nodes: unknown, flow: object[], credentials?: Record<string, unknown>): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): TestNode;
    startServer(cb: () => void): void;
    stopServer(cb: () => void): void;
    /** The spy on the runtime log: every node.warn/error/log call is one call with `{ level, id, type, msg }`. */
    log(): { args: any[][]; callCount: number };
  }

  const helper: NodeTestHelper;
  export = helper;
}
