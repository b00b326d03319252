/**
 * Pixel size of a JPEG (from its SOFn marker) or PNG (from IHDR) held in memory: what an
 * instant Snapshot answered (docs/api/instant.md), and what the emulator checks its frames with.
 */
export interface ImageInfo {
  type: 'jpeg' | 'png';
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isJpeg(data: Buffer): boolean {
  return data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
}

export function isPng(data: Buffer): boolean {
  return data.length >= 24 && data.subarray(0, 8).equals(PNG_SIGNATURE);
}

function jpegSize(data: Buffer): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1];
    if (marker === 0xff) {
      at += 1;
      continue;
    } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = data.readUInt16BE(at + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > data.length) return undefined;
      return { height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before any frame header
    at += 2 + length;
  }
  return undefined;
}

/** The image's type and size, or undefined when it is neither a readable JPEG nor PNG. */
export function imageInfo(data: Buffer): ImageInfo | undefined {
  if (isPng(data)) return { type: 'png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  if (isJpeg(data)) {
    const size = jpegSize(data);
    return size ? { type: 'jpeg', ...size } : undefined;
  }
  return undefined;
}
