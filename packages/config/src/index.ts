/**
 * @node-red-tencent-ci/config — the config node `tencent-ci-config` (see
 * tencent-ci-config.ts, loaded by Node-RED) and the runtime the job, wait and callback
 * nodes share.
 */
export { registerJobNode, connectionOf } from './job-node';
export type { JobNodeOptions, JobNodeProps } from './job-node';
export { ConfigRuntime, resolveCredentials, CONFIG_TYPE } from './config-node';
export type { CiConnection, ConfigProps, Credentials } from './config-node';
export { operationFields, callbackFields, paramsFromNode, mergeParams, inlineContainer } from './fields';
export type { EditorField } from './fields';
export { resolveInput } from './input';
export { StatusTracker } from './status';
export type * from './node-red';
