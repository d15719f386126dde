// Large spans are hashed on a worker thread that reads the caller's own descriptor;
// small ones on the main thread. Both must give the digest sha256sum gives, and both
// must notice a file that changed under them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSpan } from '../src/image/span-reader.ts';
import { WORKER_HASH_MIN_BYTES } from '../src/image/hash-worker.ts';
import { fingerprintOf, type FileSpan } from '../src/image/files.ts';
import { run } from './support/exec.ts';

async function spanOf(file: string, start: number, size: number): Promise<FileSpan> {
  return { file, start, size, fingerprint: fingerprintOf(await stat(file, { bigint: true })), name: 'blob' };
}

const sizes: Array<[string, number]> = [
  ['small, on the main thread', 1024 * 1024],
  ['large, on a worker thread', WORKER_HASH_MIN_BYTES + 12345],
];

for (const [name, size] of sizes) {
  test(`hashSpan agrees with sha256sum: ${name}`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'immutag-hash-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'blob');
    const data = randomBytes(size + 100);
    await writeFile(file, data);
    const whole = await hashSpan(await spanOf(file, 0, data.length), 'layout', 'sha256');
    const { stdout } = await run('sha256sum', [file]);
    assert.equal(whole, `sha256:${stdout.split(' ')[0]}`);
    const inner = await hashSpan(await spanOf(file, 100, size), 'layout', 'sha256');
    assert.equal(inner, `sha256:${createHash('sha256').update(data.subarray(100)).digest('hex')}`, 'a span inside a tar archive');
  });

  test(`hashSpan refuses a file that was cut short after it was fingerprinted: ${name}`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'immutag-hash-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'blob');
    await writeFile(file, randomBytes(size));
    const span = await spanOf(file, 0, size);
    await truncate(file, size - 10);
    await assert.rejects(hashSpan(span, 'layout', 'sha256'));
  });
}

test('a NODE_OPTIONS preload (an APM agent, say) does not break hashing large blobs', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-hash-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'blob');
  const data = randomBytes(WORKER_HASH_MIN_BYTES + 1);
  await writeFile(file, data);
  // A preload that holds 30 MB: more than the hashing worker's own small heap.
  const hog = join(dir, 'hog.cjs');
  await writeFile(hog, 'globalThis.__hog = Array.from({ length: 30 }, () => new Array(1024 * 1024 / 8).fill(1.5));\n');
  const script = join(dir, 'hash.ts');
  const spanReader = new URL('../src/image/span-reader.ts', import.meta.url).href;
  const files = new URL('../src/image/files.ts', import.meta.url).href;
  await writeFile(script, `
import { stat } from 'node:fs/promises';
import { hashSpan } from '${spanReader}';
import { fingerprintOf } from '${files}';
const file = process.argv[2];
const s = await stat(file, { bigint: true });
process.stdout.write(await hashSpan({ file, start: 0, size: Number(s.size), fingerprint: fingerprintOf(s), name: 'blob' }, 'layout', 'sha256'));
`);
  const { stdout } = await run(process.execPath, [script, file], { env: { ...process.env, NODE_OPTIONS: `--require ${hog}` } });
  assert.equal(stdout, `sha256:${createHash('sha256').update(data).digest('hex')}`);
});
