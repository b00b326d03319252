/** The parts of node-red-node-test-helper 0.3.6 these tests use (the package ships no types). */
declare module 'node-red-node-test-helper' {
  interface SinonSpyCall { args: unknown[] }
  interface SinonSpy { getCalls(): SinonSpyCall[]; args: unknown[][] }
  interface TestNode {
    id: string;
    on(event: string, listener: (arg: any) => void): void;
    receive(msg: Record<string, unknown>): void;
    [key: string]: any;
  }
  type NodeModule = (RED: any) => unknown;
  interface SupertestLike {
    get(path: string): Promise<{ status: number; body: any; headers: Record<string, string> }> & { set(name: string, value: string): any };
  }
  interface Helper {
    init(runtimePath: string, userSettings?: Record<string, unknown>): void;
    settings(userSettings?: Record<string, unknown>): Record<string, unknown>;
    load(nodes: NodeModule | NodeModule[], flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
    setFlows(flow: unknown[], type?: 'full' | 'flows' | 'nodes', credentials?: Record<string, unknown>): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): TestNode;
    startServer(cb?: (err?: Error) => void): Promise<void>;
    stopServer(cb?: (err?: Error) => void): Promise<void>;
    url(): string;
    request(): SupertestLike;
    log(): SinonSpy;
  }
  const helper: Helper;
  export = helper;
}
