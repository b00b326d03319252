/** The demo and the tools the end-to-end and editor tests share. */
export { startDemo, refreshSampleJob, readDemoState, DEMO_BUCKET, DEMO_REGION, DEMO_CREDENTIALS } from './demo';
export type { Demo, DemoOptions, DemoState, SampleJobCheck } from './demo';
export { demoFlows, demoOrder, loadExampleFlows, callbackUrl, DEMO_CONFIG_ID, QUEUE_CALLBACK_PATH, TAB_ORDER } from './flows';
export type { ExampleFlow, DemoSettings } from './flows';
export { scanWorkspace, REPO_ROOT } from './workspace';
export type { Workspace, WorkspacePackage, ExampleFile, Manifest } from './workspace';
export { prepareDemoBucket, makeCleanClip, makeDegradedClip, DEMO_OBJECTS, DEMO_SCRIPT } from './media';
export { startNodeRed, prepareUserDir, preferDebugSidebar, settingsFile, defaultRedJs, freePort, DEBUG_FIRST_SIDEBAR } from './node-red';
export type { NodeRedProcess, StartNodeRedOptions } from './node-red';
export { deployFlows, deployAndStart, getFlows, inject, nodeList } from './admin';
export type { FlowNode, NodeSetInfo, DeploymentType } from './admin';
