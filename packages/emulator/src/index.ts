/** @node-red-tencent-ci/emulator — a local Tencent Cloud Infinite (CI) media-job server. */
export { startEmulator } from './emulator';
export { RUNNERS } from './runner';
export type { Emulator, EmulatorOptions, EmulatorStats } from './emulator';
export { parseFaults } from './faults';
export type { FaultRule, FaultKind, FaultRoute } from './faults';
export { loadScenario } from './scenario';
export type { Scenario, Template } from './scenario';
export { locateMediaTools } from './media/tools';
export type { MediaTools } from './media/tools';
export { makeSampleClip } from './media/sample-clip';
export type { SampleClipOptions } from './media/sample-clip';
export { formatCiTime, parseCiTime } from './time';
