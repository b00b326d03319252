/**
 * The scenario file: templates (so TemplateId works offline) and scripted results for
 * VideoTag and VideoTargetRec, which no model can compute here.
 *
 * {
 *   "templates": { "t1demo": { "Tag": "Snapshot", "Name": "snapshot_demo", "Snapshot": { "Mode": "Interval", "Count": "3", "TimeInterval": "1" } } },
 *   "results":   { "input/people.mp4": { "VideoTargetRecResult": { "BodyRecognition": [ … ] } } }
 * }
 */
import { readFileSync } from 'node:fs';

export interface Template {
  Tag: string;
  Name?: string;
  [params: string]: unknown;
}

export interface Scenario {
  templates?: Record<string, Template>;
  /** Scripted result per input object key (see scripted.ts for the shape). */
  results?: Record<string, unknown>;
}

export function loadScenario(source: string | Scenario | undefined): Scenario {
  if (source === undefined) return {};
  if (typeof source !== 'string') return source;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(source, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the scenario file ${source}: ${(err as Error).message}`, { cause: err });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`The scenario file ${source} must hold a JSON object with "templates" and/or "results"`);
  }
  return parsed as Scenario;
}
