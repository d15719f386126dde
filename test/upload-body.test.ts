// The upload body reuses a few buffers of its own (registry/upload-body.ts). What a
// request receives must be the blob's bytes even when it takes them slowly (a buffer
// reused before the request was done with it would change bytes already queued), the
// request never holds more than those few buffers, and a request that dies while the
// body waits for one of them ends the body with an error instead of leaving it hanging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { sendBody, type BodyWriter } from '../src/http/exchange.ts';
import { bytesInMemory } from '../src/oci.ts';
import { BlobSlicer } from '../src/registry/upload-body.ts';

const MiB = 1024 * 1024;

function blob(size: number): { bytes: Buffer; desc: { mediaType: string; digest: string; size: number } } {
  const bytes = randomBytes(size);
  return { bytes, desc: { mediaType: 'application/octet-stream', digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size } };
}

/** A request that copies each chunk when it takes it, and takes the next one only a turn of the event loop later. */
class SlowRequest extends Writable {
  readonly received: Buffer[] = [];
  mostHeld = 0;

  constructor() {
    super({ highWaterMark: 16 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.mostHeld = Math.max(this.mostHeld, this.writableLength);
    this.received.push(Buffer.from(chunk));
    setTimeout(done, 1);
  }
}

/** As the transport sends a body: written, then ended; resolves once the request took every byte. */
async function send(request: Writable, body: BodyWriter): Promise<void> {
  sendBody(request, body);
  await finished(request);
}

test('a slow request gets the blob\'s exact bytes, in two slices, and never holds more than 1 MiB of them', async () => {
  const { bytes, desc } = blob(5 * MiB + 12345);
  const slicer = new BlobSlicer(bytesInMemory(bytes), desc, 'the test blob');
  const first = new SlowRequest();
  await send(first, slicer.slice(3 * MiB));
  const second = new SlowRequest();
  await send(second, slicer.slice(desc.size - 3 * MiB));
  await slicer.close();

  const sent = Buffer.concat([...first.received, ...second.received]);
  assert.equal(sent.length, desc.size);
  assert.ok(sent.equals(bytes), 'every byte as in the blob, in order');
  assert.equal(slicer.position, desc.size);
  for (const request of [first, second]) assert.ok(request.mostHeld <= MiB, `held ${request.mostHeld} bytes at once`);
});

test('a request that ends while the body waits for a buffer it holds: the body fails instead of hanging', { timeout: 30_000 }, async () => {
  const { bytes, desc } = blob(4 * MiB);
  const slicer = new BlobSlicer(bytesInMemory(bytes), desc, 'the test blob');
  let taken = 0;
  // Takes one chunk and never finishes with it, as a registry that stopped reading.
  const stuck = new Writable({
    highWaterMark: 16 * 1024,
    write: () => {
      taken++;
    },
  });
  const writing = slicer.slice(desc.size).writeTo(stuck);
  while (stuck.writableLength < MiB) await new Promise((resolve) => setImmediate(resolve));
  stuck.destroy();

  await assert.rejects(writing, /ended before its body was sent/);
  assert.equal(taken, 1);
  assert.ok(slicer.position < desc.size, 'the last bytes (and the digest check before them) were never reached');
  await slicer.close();
});

test('a second slice begun before the first was all sent (a registry that answered early) waits for it: each request gets its own range', { timeout: 30_000 }, async () => {
  const { bytes, desc } = blob(3 * MiB);
  const slicer = new BlobSlicer(bytesInMemory(bytes), desc, 'the test blob');
  const first = new SlowRequest();
  const second = new SlowRequest();
  await Promise.all([send(first, slicer.slice(2 * MiB)), send(second, slicer.slice(MiB))]);
  await slicer.close();

  assert.ok(Buffer.concat(first.received).equals(bytes.subarray(0, 2 * MiB)), 'the first request got the first 2 MiB');
  assert.ok(Buffer.concat(second.received).equals(bytes.subarray(2 * MiB)), 'the second got the rest');
});
