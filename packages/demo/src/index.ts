/** The demo and the tools the end-to-end and editor tests share. */
export { startDemo, refreshSampleJob, readDemoState, DEMO_BUCKET, DEMO_REGION, DEMO_CREDENTIALS } from './demo';
export type { Demo, DemoOptions } from './demo';
export { demoFlows, loadExampleFlows, callbackUrl, DEMO_CONFIG_ID, TAB_ORDER } from './flows';
export type { ExampleFlow, DemoSettings } from './flows';
export { scanWorkspace, REPO_ROOT } from './workspace';
export type { Workspace, WorkspacePackage, ExampleFile, Manifest } from './workspace';
export { prepareDemoBucket, makeCleanClip, makeDegradedClip, DEMO_OBJECTS, DEMO_SCRIPT } from './media';
export { startNodeRed, prepareUserDir, settingsFile, defaultRedJs, freePort } from './node-red';
export type { NodeRedProcess, StartNodeRedOptions } from './node-red';
export { addFlow, deployFlows, deployAndStart, getFlows, inject, nodeList, removeFlow } from './admin';
export type { FlowNode, NodeSetInfo, DeploymentType } from './admin';
