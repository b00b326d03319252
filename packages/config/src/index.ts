/**
 * @node-red-tencent-ci/config — the config node `tencent-ci-config` (see
 * tencent-ci-config.ts, loaded by Node-RED) and the runtime the job, wait and callback
 * nodes share.
 */
export { registerJobNode } from './job-node';
export { connectionOf } from './connection';
export type { JobNodeProps } from './job-node';
export { ConfigRuntime, resolveCredentials, CONFIG_TYPE } from './config-node';
export type { CiConnection, ConfigProps, Credentials } from './config-node';
export { operationFields, callbackFields, paramsFromNode, mergeParams, inlineContainer, startingProps } from './fields';
export type { EditorField } from './fields';
export { resolveInput } from './input';
export { StatusTracker } from './status';
export { errorText, endWithError } from './node-error';
export { evaluateProperty } from './node-property';
export type * from './node-red';
export { registerNodeType, credentialsOf } from './register';
export type { CredentialsOf, RegisterOptions } from './register';
export { JobTracker, resetTracking } from './tracking/job-tracker';
export type { Completion, TrackerOptions, TrackOptions } from './tracking/job-tracker';
export { ContextWaitStore, EPHEMERAL_STORE, PENDING_KEY } from './tracking/wait-store';
export type { WaitStore } from './tracking/wait-store';
export { isPersistentStore, savedWaits } from './tracking/saved-wait';
export type { SavedWait, DeliveredState } from './tracking/saved-wait';
export { jsonSafeMessage } from './tracking/json-safe';
