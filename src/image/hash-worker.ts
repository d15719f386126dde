// Hashes a large span of an open file on a worker thread. sha256 runs on the thread
// that calls update(), so on the main thread two 100 MB layers are hashed one after
// the other while the other core idles; on workers they are hashed side by side
// (200 MB verify: ~180 → ~100 ms on 2 cores). The worker reads the caller's own file
// descriptor (threads share the process's descriptors), so it hashes exactly the file
// the caller opened and fingerprinted, not whatever the path names by then.
import { Worker } from 'node:worker_threads';
import type { Algorithm } from '../digest.ts';

/** Below this, a worker's start-up (~10 ms) costs more than it saves. */
export const WORKER_HASH_MIN_BYTES = 16 * 1024 * 1024;

// Plain CommonJS run with `eval`, so the bundle needs no separate worker file.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { readSync } = require('node:fs');
function run({ fd, start, size, algorithm }) {
  const hash = createHash(algorithm);
  const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, Math.max(size, 1)));
  const end = start + size;
  for (let position = start; position < end;) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, end - position), position);
    if (n === 0) return { short: true };
    hash.update(buf.subarray(0, n));
    position += n;
  }
  return { digest: hash.digest('hex') };
}
try {
  parentPort.postMessage(run(workerData));
} catch (err) {
  parentPort.postMessage({ error: String(err && err.message || err) });
}
`;

export type WorkerHash = { digest: string } | { short: true };

export function hashOnWorker(fd: number, start: number, size: number, algorithm: Algorithm): Promise<WorkerHash> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { fd, start, size, algorithm } });
    let settled = false;
    worker.once('message', (m: { digest?: string; short?: true; error?: string }) => {
      settled = true;
      if (m.error !== undefined) reject(new Error(`hashing failed: ${m.error}`));
      else if (m.short) resolve({ short: true });
      else resolve({ digest: m.digest! });
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the hashing worker exited with code ${code}`));
    });
  });
}
