/** A tiny real clip for the few tests that need a media job (MediaInfo) to run for real. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { locateMediaTools } from '../../src/media/tools';

const run = promisify(execFile);

export function haveFfmpeg(): boolean {
  const tools = locateMediaTools();
  return Boolean(tools.ffmpeg && tools.ffprobe);
}

/** 1 s, 160x120 at 10 fps testsrc + 1 s sine, h264/aac mp4, written to `file`. */
export async function makeTinyClip(file: string): Promise<void> {
  const { ffmpeg } = locateMediaTools();
  if (!ffmpeg) throw new Error('ffmpeg is needed (apt-get install --no-install-recommends ffmpeg)');
  await run(ffmpeg, [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=10',
    '-f', 'lavfi', '-i', 'sine=duration=1',
    '-shortest', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file,
  ]);
}
