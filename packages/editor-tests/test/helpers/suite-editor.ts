/** One editor page for a whole `describe`: opened before its tests, closed after them. */
import { openEditor, type EditorPage } from './editor';

/** Opens an editor page (see openEditor) before the suite's tests and closes it after them; `set` receives it. */
export function editorForSuite(set: (editor: EditorPage) => void, options?: Parameters<typeof openEditor>[0]): void {
  let editor: EditorPage | undefined;
  before(async () => set((editor = await openEditor(options))));
  after(async () => {
    await editor?.close();
  });
}
