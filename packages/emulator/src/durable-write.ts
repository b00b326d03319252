/**
 * Crash-safe file replacement: the new content goes to a temp file in the same folder, is
 * fsynced, and is renamed over the old file, so a reader (or a restart after SIGKILL or a
 * power cut) sees the old content or the new, never a mix. The folder itself is fsynced by
 * `syncFolder` so that the rename survives a power cut too.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files end with this; a folder's leftovers are unfinished writes (see isTempFile). */
const TEMP_SUFFIX = '.tmp';
let counter = 0;

export function isTempFile(name: string): boolean {
  return name.endsWith(TEMP_SUFFIX);
}

/** Replaces `file` with `data` atomically (without syncing its folder: see syncFolder). */
export async function replaceFile(file: string, data: string): Promise<void> {
  counter += 1;
  const temp = join(dirname(file), `${basename(file)}.${process.pid}.${counter}${TEMP_SUFFIX}`);
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** fsyncs a folder, making the renames in it durable (a no-op where folders cannot be opened, e.g. Windows). */
export async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
  } catch (err) {
    if (process.platform === 'win32') return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems refuse fsync on a folder; the rename is then as durable as they make it.
    if (!['EINVAL', 'ENOTSUP', 'EPERM', 'EISDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle.close();
  }
}
