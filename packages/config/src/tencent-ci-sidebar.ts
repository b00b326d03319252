/**
 * Node-RED plugin `tencent-ci-sidebar` (package.json `node-red.plugins`): the "Tencent CI"
 * sidebar tab of the editor, its runtime side (sidebar.ts) and, beside this file once built,
 * its editor side (tencent-ci-sidebar.html) and catalogs (locales/<lang>/tencent-ci-sidebar.json).
 */
import { registerSidebar } from './sidebar';

export = registerSidebar;
