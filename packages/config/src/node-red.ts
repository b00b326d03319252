/**
 * Node-RED's runtime API as these nodes see it: the published types (`@types/node-red`,
 * which re-exports `@types/node-red__registry`), under the names the node packages import
 * from `@node-red-tencent-ci/config`, plus the few things those types leave out or type too
 * narrowly. Everything the published types lack is declared here and nowhere else.
 */
import type { NodeAPI as PublishedNodeAPI, NodeAPISettingsWithData, NodeDef as PublishedNodeDef, NodeMessage } from 'node-red';

export type { Node, NodeCredentials, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';

/**
 * A node's settings from the flow, as its constructor gets them: the published `NodeDef`
 * names only `id`, `type`, `name` and `z`, but Node-RED passes every property the editor
 * saved (the node type's `defaults`), which the nodes read by name.
 */
export interface NodeDef extends PublishedNodeDef {
  [key: string]: unknown;
}

/**
 * Node-RED's settings (settings.js) with this project's own key: `tencentCi` (e.g.
 * `tencentCi: { callback: { maxDepth, maxJobs } }`, see docs/node-red.md#http-in-callback-in).
 * Unknown on purpose: it is whatever the user wrote, and is checked where it is read.
 */
export interface TencentCiSettings extends NodeAPISettingsWithData {
  tencentCi?: unknown;
}

/**
 * The `RED` a node module is called with: the published `NodeAPI`, with the project's
 * settings and one correction. The published `RED._` takes only string and number
 * substitutions; Node-RED hands them to i18next, which interpolates any value (status and
 * error texts pass counts, codes and limits, see docs/node-red.md#status).
 */
export interface NodeAPI extends Omit<PublishedNodeAPI<TencentCiSettings>, '_'> {
  _(id: string, substitutions?: Record<string, unknown>): string;
}

/** The `send` an input listener gets (the published Node's `on('input', …)`). */
export type SendFn = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;

/** The `done` an input listener gets: `done()` on success, `done(err)` for Catch nodes (docs/node-red.md#messages-and-errors; errors go through node-error.ts's endWithError). */
export type DoneFn = (err?: Error) => void;
