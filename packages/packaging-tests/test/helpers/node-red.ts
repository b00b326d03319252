/** Node-RED started from an installation, and the admin API calls the editor makes. */
import { freePort, prepareUserDir, startNodeRed, type NodeRedProcess } from '@node-red-tencent-ci/demo';
import type { Installation } from './installs';
import { onCleanup } from './scratch';

/** Starts the installation's own Node-RED with its directory as the user directory (stopped after the run). */
export async function startIn(installation: Installation): Promise<NodeRedProcess> {
  prepareUserDir(installation.dir, { credentialSecret: 'packaging-test', overwrite: true });
  const port = await freePort();
  const nodeRed = await startNodeRed({ userDir: installation.dir, port, redJs: installation.redJs, readyTimeoutMs: 45_000 });
  onCleanup(() => nodeRed.stop(5_000));
  return nodeRed;
}

async function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${base}${path}`, { headers });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/** `GET /nodes` (HTML): every node set's editor definition and help, as the editor loads them. */
export async function editorHtml(base: string, lang = 'en-US'): Promise<string> {
  return (await get(base, '/nodes', { accept: 'text/html', 'accept-language': lang })).text();
}

/** `GET /nodes/messages?lng=`: the node catalogs, by namespace (`<module>/<set>`). */
export async function nodeCatalogs(base: string, lang: string): Promise<Record<string, Record<string, unknown>>> {
  return (await get(base, `/nodes/messages?lng=${encodeURIComponent(lang)}`)).json() as Promise<Record<string, Record<string, unknown>>>;
}

/** `GET /library/examples/flows/`: the modules listed under Import ▸ Examples. */
export async function exampleModules(base: string): Promise<string[]> {
  return (await get(base, '/library/examples/flows/')).json() as Promise<string[]>;
}

/** `GET /library/examples/flows/<module>`: a module's example flows (names without .json). */
export async function exampleNames(base: string, module: string): Promise<string[]> {
  const entries = (await (await get(base, `/library/examples/flows/${module}`)).json()) as Array<{ fn?: string; dn?: string }>;
  return entries.flatMap((e) => (e.fn ? [e.fn] : []));
}

/** One example flow, as Import ▸ Examples fetches it. */
export async function exampleFlow(base: string, module: string, name: string): Promise<Array<{ id: string; type: string }>> {
  return (await get(base, `/library/examples/flows/${module}/${encodeURIComponent(name)}`)).json() as Promise<Array<{ id: string; type: string }>>;
}

/** Lines of Node-RED's output that tell of a module that failed to load or a flow waiting for types. */
export function loadProblems(output: string): string[] {
  return output
    .split('\n')
    .filter(
      (line) =>
        /Failed to register|Waiting for missing types|missing dependencies|\[error\]/i.test(line) ||
        (/tencent-ci/.test(line) && /\berror\b|\[warn\]/i.test(line)),
    );
}
