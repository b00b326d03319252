import { strict as assert } from 'node:assert';
import { isPersistentStore, jsonSafeMessage, savedWaits } from '../src/index';

const A = 'j8d121820f5e411ec926ef19d53ba9c6f';
const B = 'j0a1b2c3d4e5f60718293a4b5c6d7e8f9';

describe('the JSON-safe copy of a message kept in context', () => {
  it('drops msg.req, msg.res, functions, symbols and BigInts', () => {
    const copy = jsonSafeMessage({
      topic: 't',
      req: { socket: {} },
      res: { end() {} },
      fn: () => 1,
      s: Symbol('x'),
      n: 10n,
      payload: { a: [1, undefined, 'b'] },
    });
    assert.deepEqual(copy, { topic: 't', payload: { a: [1, null, 'b'] } });
  });

  it('turns Dates and Buffers into their JSON forms and NaN into null', () => {
    const copy = jsonSafeMessage({ at: new Date('2024-01-02T03:04:05Z'), data: Buffer.from('hi'), x: Number.NaN });
    assert.deepEqual(copy, { at: '2024-01-02T03:04:05.000Z', data: { type: 'Buffer', data: [104, 105] }, x: null });
  });

  it('drops circular references but keeps an object seen twice side by side', () => {
    const shared = { v: 1 };
    const msg: Record<string, unknown> = { a: shared, b: shared };
    msg.self = msg;
    assert.deepEqual(jsonSafeMessage(msg), { a: { v: 1 }, b: { v: 1 } });
  });
});

describe('which context stores survive a restart', () => {
  const file = { module: 'localfilesystem' };
  const memory = { module: 'memory' };

  it('none without contextStorage, or with an empty one', () => {
    assert.equal(isPersistentStore(undefined), false);
    assert.equal(isPersistentStore({}), false);
  });

  it('the default store when its module is localfilesystem, not memory', () => {
    assert.equal(isPersistentStore({ default: file }), true);
    assert.equal(isPersistentStore({ default: memory }), false);
  });

  it('follows default as an alias, and takes the first store listed when there is no default', () => {
    assert.equal(isPersistentStore({ default: 'disk', disk: file, mem: memory }), true);
    assert.equal(isPersistentStore({ mem: memory, disk: file }), false);
    assert.equal(isPersistentStore({ disk: file, mem: memory }), true);
  });

  it('judges the chosen store, and an unknown store name as the default it falls back to', () => {
    assert.equal(isPersistentStore({ default: file, mem: memory }, 'mem'), false);
    assert.equal(isPersistentStore({ default: memory, disk: file }, 'disk'), true);
    assert.equal(isPersistentStore({ default: memory, disk: file }, 'nope'), false);
  });

  it('counts a custom store module (an object or function) as persistent', () => {
    assert.equal(isPersistentStore({ default: { module: () => ({}) } }), true);
  });

  it('reads back only well-formed saved waits, keeping their ids and delivery marks', () => {
    const good = { id: 'w1', jobId: A, msg: { topic: 't' }, deadline: 1700000000000, delivered: 'Success' };
    const read = savedWaits([good, { jobId: 'bad id' }, null, { id: 'w2', jobId: B, deadline: -1, delivered: 'Bogus' }]);
    assert.deepEqual(read, [good, { id: 'w2', jobId: B, msg: {}, deadline: 0 }]);
    assert.deepEqual(savedWaits({ not: 'a list' }), []);
  });

  it('gives waits saved by the wait node before the tracker (no id) distinct ids', () => {
    const read = savedWaits([
      { jobId: A, msg: {}, deadline: 0 },
      { jobId: A, msg: {}, deadline: 0 },
      { id: 'x', jobId: B },
      { id: 'x', jobId: B },
    ]);
    assert.equal(read.length, 4);
    assert.equal(new Set(read.map((w) => w.id)).size, 4);
    assert.ok(read.every((w) => /^[A-Za-z0-9_-]+$/.test(w.id)));
  });
});
