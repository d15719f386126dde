import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestCheck, digestOf, verifyBytes } from '../src/digest.ts';
import type { ImmutagError } from '../src/errors.ts';

const data = Buffer.from('hello immutag');
const good = digestOf(data);

test('verifyBytes accepts the right digest and size', () => {
  verifyBytes(data, good, 'blob', data.length);
});

test('verifyBytes refuses another digest, another size, and a malformed digest', () => {
  const codes = [
    () => verifyBytes(data, digestOf('other'), 'blob'),
    () => verifyBytes(data, good, 'blob', data.length + 1),
    () => verifyBytes(data, 'sha256:XYZ', 'blob'),
  ].map((fn) => {
    try { fn(); return 'none'; } catch (e) { return (e as ImmutagError).code; }
  });
  assert.deepEqual(codes, ['DIGEST_MISMATCH', 'DIGEST_MISMATCH', 'INVALID_REFERENCE']);
});

test('DigestCheck fails the stream on a mismatch and passes bytes through on a match', async () => {
  const sink: Buffer[] = [];
  await pipeline(Readable.from([data]), new DigestCheck(good, 'blob', data.length), async (src: AsyncIterable<unknown>) => {
    for await (const c of src) sink.push(c as Buffer);
  });
  assert.equal(Buffer.concat(sink).toString(), 'hello immutag');
  await assert.rejects(
    pipeline(Readable.from([data]), new DigestCheck(digestOf('x'), 'blob'), async (src: AsyncIterable<unknown>) => { for await (const _ of src); }),
    (e: ImmutagError) => e.code === 'DIGEST_MISMATCH',
  );
  await assert.rejects(
    pipeline(Readable.from([data, data]), new DigestCheck(good, 'blob', data.length), async (src: AsyncIterable<unknown>) => { for await (const _ of src); }),
    (e: ImmutagError) => e.code === 'DIGEST_MISMATCH' && /expected 13 bytes/.test(e.message),
  );
});
