/** The parts of node-red-node-test-helper 0.3.6 the node packages' tests use (the package ships no types). */
declare module 'node-red-node-test-helper' {
  interface SinonSpyCall {
    args: unknown[];
  }
  /** The spy on the runtime log: every node.warn/error/log call is one call with `{ level, id, type, msg }`. */
  interface SinonSpy {
    getCalls(): SinonSpyCall[];
    args: any[][];
    callCount: number;
  }
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
  /** A Node-RED module: called with the runtime API (`RED`) when the helper loads it. */
  type NodeModule = (RED: import('node-red').NodeAPI) => unknown;
  interface SupertestLike {
    get(path: string): Promise<{ status: number; body: any; headers: Record<string, string> }> & { set(name: string, value: string): any };
    post(path: string): { send(body: unknown): PromiseLike<{ status: number; body: any; text: string }> };
  }
  interface Helper {
    init(runtimePath?: string, userSettings?: Record<string, unknown>): void;
    /** Replaces the runtime settings used by the next load() (merged over Node-RED's defaults). */
    settings(userSettings?: Record<string, unknown>): Record<string, unknown>;
    load(nodes: NodeModule | NodeModule[] | unknown, flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
    setFlows(flow: unknown[], type?: 'full' | 'flows' | 'nodes', credentials?: Record<string, unknown>): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): TestNode;
    startServer(cb?: (err?: Error) => void): Promise<void>;
    stopServer(cb?: (err?: Error) => void): Promise<void>;
    url(): string;
    /** supertest on the admin app (RED.httpAdmin). */
    request(): SupertestLike;
    log(): SinonSpy;
  }
  const helper: Helper;
  export = helper;
}
