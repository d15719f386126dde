// How response bodies are read (src/registry/body.ts): to their end, with a ceiling, and
// never hanging on a body that is already over. These hold for any Readable, so plain
// streams stand in for a response here; the registry tests read real ones.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import test from 'node:test';
import { discard, readAll, readPrefix } from '../src/registry/body.ts';
import { ImmutagError } from '../src/errors.ts';

function chunks(...parts: string[]): Readable {
  return Readable.from(parts.map((p) => Buffer.from(p)), { objectMode: false });
}

/** A body that sends `parts` and then stays open until the test ends it. */
function open(...parts: string[]): Readable {
  const body = new Readable({ read() {} });
  for (const p of parts) body.push(Buffer.from(p));
  return body;
}

function code(err: unknown): unknown {
  return (err as { code?: unknown }).code;
}

test('readAll returns every chunk, in order', async () => {
  assert.equal((await readAll(chunks('ab', 'cd', 'e'), 100, 'GET x')).toString(), 'abcde');
});

test('readAll past its ceiling throws LIMIT_EXCEEDED and stops reading', async () => {
  const body = open('12345', '67890');
  const err = await readAll(body, 8, 'GET /v2/a/manifests/1').catch((e: unknown) => e);
  assert.ok(err instanceof ImmutagError);
  assert.equal(err.code, 'LIMIT_EXCEEDED');
  assert.match(err.message, /GET \/v2\/a\/manifests\/1 is larger than 8 bytes/);
  assert.equal(body.destroyed, true);
});

test('a body that breaks off with an error rejects with that error', async () => {
  const body = open('part');
  setImmediate(() => body.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
  await assert.rejects(readAll(body, 100, 'GET x'), (e) => code(e) === 'ECONNRESET');
});

test('a body that closes before its end without an error is a premature close, never a short answer', async () => {
  const body = open('part');
  setImmediate(() => body.destroy());
  await assert.rejects(readAll(body, 100, 'GET x'), (e) => code(e) === 'ERR_STREAM_PREMATURE_CLOSE');
});

test('a body already over when reading starts settles at once: its error, a premature close, or its end', async () => {
  const failed = open('x');
  failed.on('error', () => {});
  failed.destroy(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
  await new Promise((r) => setImmediate(r));
  await assert.rejects(readAll(failed, 100, 'GET x'), (e) => code(e) === 'ECONNRESET');

  const closed = open('x');
  closed.destroy();
  await new Promise((r) => setImmediate(r));
  await assert.rejects(readAll(closed, 100, 'GET x'), (e) => code(e) === 'ERR_STREAM_PREMATURE_CLOSE');

  const ended = chunks('done');
  ended.resume();
  await new Promise((r) => ended.once('end', r));
  assert.equal((await readAll(ended, 100, 'GET x')).length, 0);
});

test('a body someone paused is still read to its end', async () => {
  const body = open('ab');
  body.pause();
  const read = readAll(body, 100, 'GET x');
  body.push(Buffer.from('cd'));
  body.push(null);
  assert.equal((await read).toString(), 'abcd');
});

test('readPrefix keeps the first bytes, drops the rest and never throws', async () => {
  const long = open('0123456789', 'abcdef');
  assert.equal((await readPrefix(long, 12)).toString(), '0123456789ab');
  assert.equal(long.destroyed, true);

  const broken = open('err');
  setImmediate(() => broken.destroy(new Error('cut')));
  assert.equal((await readPrefix(broken, 100)).toString(), 'err');
});

test('discard reads a small body to its end and gives up a large one, destroying either', async () => {
  const small = chunks('a', 'b');
  await discard(small);
  assert.equal(small.readableEnded, true);
  assert.equal(small.destroyed, true);

  const large = open('x'.repeat(70 * 1024));
  await discard(large);
  assert.equal(large.readableEnded, false);
  assert.equal(large.destroyed, true);
});
