/** Media processing for the emulator's MediaInfo, Snapshot and QualityEstimate jobs (ffmpeg/ffprobe). */
export { MediaJobError, MediaErrorCodes, isMediaJobError } from './errors';
export type { MediaErrorCode } from './errors';
export { locateMediaTools, missingToolsMessage, requireTool, runTool, ToolError, INSTALL_HINT } from './tools';
export type { MediaTools, ToolName, RunToolOptions } from './tools';
export { probeMediaInfo, mapMediaInfo, ffprobeJson } from './media-info';
export type { FfprobeOutput, FfprobeStream } from './media-info';
export { runSnapshot } from './snapshot';
export type { SnapshotJob, SnapshotResult } from './snapshot';
export { DEFAULT_SNAPSHOT_PATTERN, DEFAULT_SPRITE_PATTERN, substituteKey, objectPrefix, outputKeys } from './output-keys';
export { estimateQuality, QUALITY_FORMULA } from './quality';
export type { QualityConfig } from './quality';
export { imageInfo, isJpeg, isPng } from './image-size';
export type { ImageInfo } from './image-size';
