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

// One worker at a time: with the main thread hashing another blob beside it, that
// uses two cores, and each further worker would add an isolate (~10 MB of RSS) to a
// push whose peak must stay under 100 MB.
let workerBusy = false;

/** Whether a worker is free to take a span now; the caller hashes on its own thread if not. */
export function workerAvailable(): boolean {
  return !workerBusy;
}

// Run with `eval`, so the bundle needs no separate worker file. getBuiltinModule, not
// require: eval'd code is ESM when the process runs with --input-type=module.
const WORKER_SOURCE = `
const { workerData, parentPort } = process.getBuiltinModule('node:worker_threads');
const { createHash } = process.getBuiltinModule('node:crypto');
const { readSync } = process.getBuiltinModule('node:fs');
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

export async function hashOnWorker(fd: number, start: number, size: number, algorithm: Algorithm): Promise<WorkerHash> {
  workerBusy = true;
  try {
    return await runWorker(fd, start, size, algorithm);
  } finally {
    workerBusy = false;
  }
}

function runWorker(fd: number, start: number, size: number, algorithm: Algorithm): Promise<WorkerHash> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { fd, start, size, algorithm },
      // No NODE_OPTIONS preloads (APM agents, instrumentation): they would run in this
      // small heap and exhaust it. The worker needs no environment at all.
      env: {},
      // The worker only streams a file through a hash: a small heap keeps its RSS small.
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 },
    });
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
