/**
 * Scripted results for VideoTag and VideoTargetRec. No recognition model can ship with
 * the emulator, so their results come from, in order:
 *   1. a JSON file beside the input object: `<key>.ci-result.json`;
 *   2. the scenario file's `results[<key>]`;
 *   3. nothing: the job succeeds with empty result lists.
 * The script holds what the result element should contain, either directly
 * (`{ "StreamData": … }`) or keyed by element (`{ "VideoTagResult": …, "VideoTargetRecResult": … }`),
 * and may script a failure: `{ "State": "Failed", "Code": "…", "Message": "…" }`.
 * Every such job's Message says that its result is emulated.
 */
import { readFile } from 'node:fs/promises';
import type { Scenario } from './scenario';

export interface ScriptedOutcome {
  state: 'Success' | 'Failed';
  code: string;
  message: string;
  result: Record<string, unknown>;
}

const ELEMENT: Record<string, string> = { VideoTag: 'VideoTagResult', VideoTargetRec: 'VideoTargetRecResult' };
const EMPTY: Record<string, unknown> = {
  VideoTagResult: { StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: {} } },
  VideoTargetRecResult: {},
};

async function readScript(file: string | undefined): Promise<unknown> {
  if (!file) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`The result script ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

export async function scriptedOutcome(tag: 'VideoTag' | 'VideoTargetRec', key: string | undefined, scriptFile: string | undefined, scenario: Scenario): Promise<ScriptedOutcome> {
  const element = ELEMENT[tag]!;
  let script = await readScript(scriptFile);
  let source = `${key}.ci-result.json`;
  if (script === undefined && key !== undefined && scenario.results && Object.prototype.hasOwnProperty.call(scenario.results, key)) {
    script = scenario.results[key];
    source = `the scenario's results["${key}"]`;
  }
  if (script === undefined) {
    return {
      state: 'Success',
      code: 'Success',
      message: `Emulated result: the emulator runs no ${tag} model, so the result lists are empty; script one with ${key ?? 'the input'}.ci-result.json or a scenario file`,
      result: { [element]: EMPTY[element] },
    };
  }
  const obj = (script && typeof script === 'object' ? script : {}) as Record<string, unknown>;
  if (obj.State === 'Failed') {
    return { state: 'Failed', code: String(obj.Code ?? 'InternalError'), message: String(obj.Message ?? `Emulated failure scripted by ${source}`), result: {} };
  }
  const otherElement = Object.values(ELEMENT).find((e) => e !== element)!;
  const content = element in obj ? obj[element] : otherElement in obj ? EMPTY[element] : obj;
  return { state: 'Success', code: 'Success', message: `Emulated result scripted by ${source}`, result: { [element]: content } };
}
