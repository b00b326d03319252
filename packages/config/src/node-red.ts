/** The small part of Node-RED's runtime API these nodes use (Node-RED 3.1+, 4.x). */

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type NodeMessage = Record<string, unknown> & { _msgid?: string };

export type SendFn = (msg: NodeMessage | Array<NodeMessage | null> | null) => void;
export type DoneFn = (err?: Error) => void;

export interface Node {
  id: string;
  type: string;
  name?: string;
  z?: string;
  credentials?: Record<string, string | undefined>;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  on(event: string, listener: (...args: never[]) => void): void;
  send(msg: NodeMessage | Array<NodeMessage | null> | null): void;
  status(status: NodeStatus | Record<string, never>): void;
  log(msg: unknown): void;
  warn(msg: unknown): void;
  error(err: unknown, msg?: NodeMessage): void;
  context(): {
    get(key: string, store: string | undefined, cb: (err: Error | null, value: unknown) => void): void;
    set(key: string, value: unknown, store: string | undefined, cb: (err: Error | null) => void): void;
  };
}

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface NodeAPI {
  nodes: {
    createNode(node: Node, def: NodeDef): void;
    registerType(type: string, ctor: new (def: NodeDef) => unknown, opts?: { credentials?: Record<string, { type: 'text' | 'password' }> }): void;
    registerType(type: string, ctor: (this: Node, def: NodeDef) => void, opts?: { credentials?: Record<string, { type: 'text' | 'password' }> }): void;
    getNode(id: string): unknown;
    getCredentials(id: string): Record<string, string | undefined> | undefined;
  };
  util: {
    evaluateNodeProperty(value: unknown, type: string, node: Node, msg: NodeMessage, cb: (err: Error | null, value: unknown) => void): void;
    cloneMessage<T>(msg: T): T;
    getMessageProperty(msg: NodeMessage, prop: string): unknown;
    setMessageProperty(msg: NodeMessage, prop: string, value: unknown, createMissing?: boolean): boolean;
  };
  settings: Record<string, unknown> & { get?(name: string): unknown };
  httpAdmin: ExpressLike;
  httpNode: ExpressLike;
  auth: { needsPermission(permission: string): Handler };
  _(key: string, substitutions?: Record<string, unknown>): string;
  log: { info(msg: unknown): void; warn(msg: unknown): void; error(msg: unknown): void };
}

export type Handler = (req: ReqLike, res: ResLike, next: (err?: unknown) => void) => void;

export interface ExpressLike {
  get(path: string, ...handlers: Handler[]): void;
  post(path: string, ...handlers: Handler[]): void;
}

export interface ReqLike {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
  on(event: string, listener: (...args: unknown[]) => void): void;
  [key: string]: unknown;
}

export interface ResLike {
  status(code: number): ResLike;
  json(body: unknown): void;
  send(body?: unknown): void;
  set(name: string, value: string): ResLike;
  end(): void;
  headersSent?: boolean;
}
