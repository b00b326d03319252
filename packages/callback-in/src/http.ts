/**
 * The part of Express (Node-RED's `RED.httpNode` and `RED.httpAdmin`) this package uses.
 * Wider than config's `ExpressLike`: an array of paths, error handlers, the request stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type HttpRequest = IncomingMessage & {
  params: Record<string, string | undefined>;
  query?: Record<string, unknown>;
  /** Set by a body parser that ran before the route (e.g. in httpNodeMiddleware). */
  body?: unknown;
  _body?: boolean;
};

export type HttpResponse = ServerResponse & {
  status(code: number): HttpResponse;
  sendStatus(code: number): HttpResponse;
  set(name: string, value: string): HttpResponse;
  json(body: unknown): HttpResponse;
};

export type Next = (err?: unknown) => void;
export type Middleware = (req: HttpRequest, res: HttpResponse, next: Next) => void;
export type ErrorMiddleware = (err: unknown, req: HttpRequest, res: HttpResponse, next: Next) => void;
type AnyHandler = Middleware | ErrorMiddleware | Array<Middleware | ErrorMiddleware>;

export interface HttpApp {
  post(path: string | string[], ...handlers: AnyHandler[]): unknown;
  get(path: string | string[], ...handlers: AnyHandler[]): unknown;
  use(path: string, ...handlers: AnyHandler[]): unknown;
}
