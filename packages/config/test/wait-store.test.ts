/** ContextWaitStore: a node's waits in its node context, written one write at a time. */
import { strict as assert } from 'node:assert';
import { ContextWaitStore, PENDING_KEY, type SavedWait } from '../src/index';

const wait = (id: string, jobId = `j${id}`): SavedWait => ({ id, jobId, msg: { topic: id }, deadline: 0 });

/** A node context whose get/set answer when the test says (or at once). */
function fakeNode(initial?: unknown) {
  const data: Record<string, unknown> = { [PENDING_KEY]: initial };
  const sets: unknown[] = [];
  const pending: Array<() => void> = [];
  let held = false;
  const node = {
    context: () => ({
      get: (key: string, _store: string | undefined, cb: (err: Error | null, v: unknown) => void) => {
        const answer = () => cb(null, data[key]);
        if (held) pending.push(answer);
        else setImmediate(answer);
      },
      set: (key: string, value: unknown, _store: string | undefined, cb: (err: Error | null) => void) => {
        sets.push(value === undefined ? undefined : structuredClone(value));
        const answer = () => {
          data[key] = value;
          cb(null);
        };
        if (held) pending.push(answer);
        else setImmediate(answer);
      },
    }),
  };
  return {
    node: node as any,
    data,
    sets,
    /** The ids of the waits stored now, in order. */
    savedIds: () => (data[PENDING_KEY] as SavedWait[]).map((w) => w.id),
    hold: () => (held = true),
    release: () => {
      held = false;
      pending.splice(0).forEach((f) => f());
    },
  };
}

/** A store over a fresh fakeNode(), its saved waits already read. */
async function loadedStore() {
  const f = fakeNode();
  const store = new ContextWaitStore(f.node, undefined, () => undefined);
  await store.load();
  return { f, store };
}

describe('ContextWaitStore', () => {
  it('reads the saved waits once, giving old entries without an id one', async () => {
    const f = fakeNode([{ jobId: 'jold', msg: { a: 1 }, deadline: 5 }, { jobId: '../bad' }]);
    const store = new ContextWaitStore(f.node, undefined, () => undefined);
    const list = await store.load();
    assert.equal(list.length, 1);
    assert.equal(list[0]!.jobId, 'jold');
    assert.equal(typeof list[0]!.id, 'string');
    assert.deepEqual(list[0]!.msg, { a: 1 });
  });

  it('never writes before the saved waits were read, and keeps them', async () => {
    const f = fakeNode([{ id: 'old', jobId: 'jold', msg: {}, deadline: 0 }]);
    f.hold();
    const store = new ContextWaitStore(f.node, undefined, () => undefined);
    const put = store.put(wait('a'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(f.sets, [], 'no write while the read is pending');
    f.release();
    await put;
    assert.deepEqual(f.savedIds(), ['old', 'a']);
  });

  it('collapses a burst of 100 changes into at most two writes, the last one holding them all', async () => {
    const { f, store } = await loadedStore();
    const puts = [];
    for (let i = 0; i < 100; i++) puts.push(store.put(wait(String(i))));
    await Promise.all(puts);
    assert.ok(f.sets.length <= 2, `${f.sets.length} writes`);
    assert.equal((f.data[PENDING_KEY] as SavedWait[]).length, 100);
  });

  it('resolves a put only once a write that includes it is stored', async () => {
    const { f, store } = await loadedStore();
    await store.put(wait('a'));
    f.hold();
    let stored = false;
    const p = store.put(wait('b')).then(() => (stored = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(stored, false);
    f.release();
    await p;
    assert.deepEqual(f.savedIds(), ['a', 'b']);
  });

  it('deletes the key when the last wait is removed, and reports a failed write without rejecting', async () => {
    const f = fakeNode();
    const errors: string[] = [];
    const store = new ContextWaitStore(f.node, undefined, (e) => errors.push(e.message));
    await store.load();
    await store.put(wait('a'));
    await store.remove('a');
    assert.equal(f.sets.at(-1), undefined);
    f.node.context = () => ({
      get: () => undefined,
      set: () => {
        throw new Error('disk full');
      },
    });
    await store.put(wait('b'));
    assert.deepEqual(errors, ['disk full']);
  });

  it('writes a removal with the next write, or alone within 200 ms, and flush() writes it at once', async () => {
    const { f, store } = await loadedStore();
    await store.put(wait('a'));
    await store.put(wait('b'));
    const writes = f.sets.length;
    const removed = store.remove('a');
    await store.put(wait('c', 'jc'));
    assert.equal(f.sets.length, writes + 1, 'the removal rode along with the put');
    await removed;
    assert.deepEqual(f.savedIds(), ['b', 'c']);
    const started = Date.now();
    await store.remove('b');
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(f.savedIds(), ['c']);
    void store.remove('c');
    await store.flush();
    assert.equal(f.data[PENDING_KEY], undefined, 'flush wrote the pending removal');
  });
});
