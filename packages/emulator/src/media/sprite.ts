/**
 * Sprite sheets for Snapshot jobs (SnapshotOutMode OnlySprite / SnapshotAndSprite), built with
 * ffmpeg's `tile` filter over the captured shots read back as an image sequence. Sheets are
 * always jpg; shots beyond Columns×Lines start a new sheet, and a last, partly filled sheet has
 * its empty cells in Color.
 *
 * Sheet size (tile): Columns·cellW + (Columns-1)·Padding + 2·Margin wide, and likewise
 * Lines·cellH + (Lines-1)·Padding + 2·Margin high.
 *
 * Cells (SpriteSnapshotConfig, docs/api/job-types.md#snapshot): CellWidth / CellHeight default to the shot size.
 * - DirectScale (default): each shot is scaled to exactly CellWidth×CellHeight.
 * - MaxWHScale: each shot is fitted inside CellWidth×CellHeight keeping its aspect ratio, and the
 *   cell takes the fitted size.
 * - MaxWHScaleAndPad: fitted as above, then padded to CellWidth×CellHeight with Color.
 */
import { QUIET_FFMPEG } from './tools';
export interface SpriteLayout {
  columns: number;
  lines: number;
  padding: number;
  margin: number;
  color: string;
  /** Filters applied to each shot before tiling ('' = none). */
  cellFilter: string;
}

const COLOR = /^(?:[A-Za-z]+|(?:#|0x)[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?)$/;

function int(config: Record<string, unknown>, name: string): number | undefined {
  const v = config[name];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.round(n) : undefined;
}

/** The sheet layout; `shot` is the size of the captured shots. */
export function spriteLayout(config: Record<string, unknown>, shot: { width: number; height: number }): SpriteLayout {
  const rawColor = typeof config.Color === 'string' ? config.Color.trim() : '';
  const color = COLOR.test(rawColor) ? rawColor : 'black';
  const cellW = int(config, 'CellWidth');
  const cellH = int(config, 'CellHeight');
  const method = typeof config.ScaleMethod === 'string' ? config.ScaleMethod : 'DirectScale';
  let cellFilter = '';
  if (cellW !== undefined || cellH !== undefined) {
    const w = cellW ?? shot.width;
    const h = cellH ?? shot.height;
    if (method === 'MaxWHScale') {
      cellFilter = `scale=${w}:${h}:force_original_aspect_ratio=decrease`;
    } else if (method === 'MaxWHScaleAndPad') {
      cellFilter = `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=${color}`;
    } else {
      cellFilter = `scale=${w}:${h}`;
    }
  }
  return {
    columns: Math.max(1, int(config, 'Columns') ?? 1),
    lines: Math.max(1, int(config, 'Lines') ?? 1),
    padding: Math.max(0, int(config, 'Padding') ?? 0),
    margin: Math.max(0, int(config, 'Margin') ?? 0),
    color,
    cellFilter,
  };
}

function spriteFilter(layout: SpriteLayout): string {
  const tile = `tile=${layout.columns}x${layout.lines}:padding=${layout.padding}:margin=${layout.margin}:color=${layout.color}`;
  return [layout.cellFilter, 'setsar=1', tile].filter(Boolean).join(',');
}

/** Escapes `%` for image2 patterns. */
export function image2Path(path: string): string {
  return path.replace(/%/g, '%%');
}

/** ffmpeg arguments that tile `shotPattern` (image2, numbered from 0) into `spritePattern`. */
export function spriteArgs(layout: SpriteLayout, shotPattern: string, spritePattern: string): string[] {
  return [
    ...QUIET_FFMPEG,
    '-f',
    'image2',
    '-framerate',
    '1',
    '-start_number',
    '0',
    '-i',
    shotPattern,
    '-vf',
    spriteFilter(layout),
    '-vsync',
    'passthrough',
    '-q:v',
    '2',
    '-start_number',
    '0',
    '-f',
    'image2',
    '-y',
    spritePattern,
  ];
}

export function spriteCount(shots: number, layout: SpriteLayout): number {
  return Math.ceil(shots / (layout.columns * layout.lines));
}
