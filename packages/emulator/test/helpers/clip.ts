/** A tiny real clip for the few tests that need a media job (MediaInfo) to run for real. */
import { makeSampleClip } from '../../src/media/sample-clip';
import { locateMediaTools } from '../../src/media/tools';

export function haveFfmpeg(): boolean {
  const tools = locateMediaTools();
  return Boolean(tools.ffmpeg && tools.ffprobe);
}

/** 1 s, 160x120 at 10 fps testsrc + 1 s sine, h264/aac mp4, written to `file`. */
export async function makeTinyClip(file: string): Promise<void> {
  makeSampleClip(file, { seconds: 1, size: '160x120', rate: 10 });
}
