// Issue 4's benchmark: a ~200 MB two-layer image (random, so no compression can
// cheat) pushed from an OCI layout to the local registry by immutag and by
// `skopeo copy --preserve-digests`, side by side: rounds alternate the two tools,
// each push goes into a fresh registry (neither finds the other's blobs), and the
// median round is kept. Then a re-push of the same image through a counting proxy,
// which must upload zero bytes. The layout is built once and cached under .bench/.
//
// immutag runs as a user runs it: `node dist/cli.js push --scan none`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startForwardingProxy } from '../../test/support/forwarding-proxy.ts';
import { writeRandomLayout } from '../../test/support/random-layout.ts';
import { startRegistry, type TestRegistry } from '../../test/support/registry.ts';
import { measure, type Measured } from './measure.ts';
import type { BenchRow } from './row.ts';

const MiB = 1024 * 1024;
// Two shapes of the same ~200 MB: two big layers (bandwidth), and twenty small ones
// (per-blob round trips: existence check, upload session, commit).
const SHAPES = [
  { name: '2 layers', layers: [100 * MiB, 100 * MiB], cache: 'push-200mb' },
  { name: '20 layers', layers: Array.from({ length: 20 }, () => 10 * MiB), cache: 'push-200mb-20' },
];
const ROUNDS = 5;
const ROOT = resolve(import.meta.dirname, '..', '..');
const LAYOUT_TAG = 'bench';
// scripts/bench.ts builds dist/ first; IMMUTAG_BENCH_CLI times another build of the CLI.
const CLI = process.env['IMMUTAG_BENCH_CLI'] ?? join(ROOT, 'dist', 'cli.js');

type Pusher = { name: string; run: (layout: string, host: string, ref: string) => Promise<Measured> };

export async function benchPush(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const shape of SHAPES) {
    const layout = await cachedLayout(shape.cache, shape.layers);
    rows.push(...await benchShape(`push ~200 MB, ${shape.name}, OCI layout → local registry`, layout, shape === SHAPES[0]));
  }
  return rows;
}

// The default push waits the settle window (tag-settle-seconds, 5 s) after writing its
// tag and reads it again: the price of "two concurrent pushes never both pass", which
// skopeo does not offer. The second row runs the same push with a 0.1 s window, so the
// transfer and checks can be compared with skopeo's on their own.
const QUICK_SETTLE = '0.1';

async function benchShape(section: string, layout: string, withRePush: boolean): Promise<BenchRow[]> {
  const immutag = await warmedUpPusher(layout);
  const quick = withSettle(immutag, QUICK_SETTLE);
  const runs: { immutag: Measured; quick: Measured; skopeo: Measured }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    runs.push({
      immutag: await inFreshRegistry((reg) => immutag.run(layout, reg.host, `${reg.host}/bench/app:1.0`)),
      quick: await inFreshRegistry((reg) => quick.run(layout, reg.host, `${reg.host}/bench/app:1.0`)),
      skopeo: await inFreshRegistry((reg) => skopeoPush(layout, `${reg.host}/bench/app:1.0`)),
    });
  }
  const mine = middle(runs.map((r) => r.immutag));
  const fast = middle(runs.map((r) => r.quick));
  const theirs = middle(runs.map((r) => r.skopeo));
  const rows: BenchRow[] = [
    { section, tool: `immutag push (${immutag.name})`, seconds: mine.seconds, peakRssMb: mine.peakRssMb, note: `median of ${ROUNDS}; includes the default 5 s settle wait and re-read` },
    { section, tool: `immutag push --tag-settle-seconds ${QUICK_SETTLE}`, seconds: fast.seconds, peakRssMb: fast.peakRssMb, note: `median of ${ROUNDS}; the transfer and checks alone` },
    { section, tool: 'skopeo copy --preserve-digests', seconds: theirs.seconds, peakRssMb: theirs.peakRssMb, note: `median of ${ROUNDS}, rounds alternate the three` },
  ];
  if (!withRePush) return rows;
  const again = await rePush(layout, immutag);
  const rePushSection = 're-push of the same image (tag already at the digest)';
  return [
    ...rows,
    { section: rePushSection, tool: `immutag push (${immutag.name})`, seconds: again.immutag.seconds, peakRssMb: again.immutag.peakRssMb, requests: again.immutagRequests,
      note: `${again.immutagBytes} blob bytes uploaded (counted at a proxy); ${again.immutagWrites} POST/PATCH/PUT` },
    { section: rePushSection, tool: 'skopeo copy --preserve-digests', seconds: again.skopeo.seconds, peakRssMb: again.skopeo.peakRssMb, requests: again.skopeoRequests,
      note: `${again.skopeoBytes} blob bytes uploaded; ${again.skopeoWrites} POST/PATCH/PUT (rewrites the tag)` },
  ];
}

/** The CLI; its first run, into a throwaway registry, is the warm-up (page cache, compile cache). */
async function warmedUpPusher(layout: string): Promise<Pusher> {
  const cli: Pusher = {
    name: 'node dist/cli.js push --scan none',
    run: (l, host, ref) => measure(process.execPath, [CLI, 'push', '--image', l, '--scan', 'none', '--insecure-registry', host, ref]),
  };
  await inFreshRegistry((reg) => cli.run(layout, reg.host, `${reg.host}/bench/probe:1.0`));
  return cli;
}

function withSettle(pusher: Pusher, seconds: string): Pusher {
  return {
    name: `${pusher.name} --tag-settle-seconds ${seconds}`,
    run: (l, host, ref) => measure(process.execPath, [CLI, 'push', '--image', l, '--scan', 'none', '--insecure-registry', host, '--tag-settle-seconds', seconds, ref]),
  };
}

/** Pushes once, then again through a proxy that counts what the second push sends. */
async function rePush(layout: string, immutag: Pusher) {
  return inFreshRegistry(async (reg) => {
    await immutag.run(layout, reg.host, `${reg.host}/bench/app:1.0`);
    const proxy = await startForwardingProxy(reg.url);
    try {
      const writes = () => proxy.seen.filter((s) => s.method === 'POST' || s.method === 'PATCH' || s.method === 'PUT').length;
      const immutagRun = await immutag.run(layout, proxy.host, `${proxy.host}/bench/app:1.0`);
      const immutagRequests = proxy.seen.length;
      const immutagBytes = proxy.uploadedBytes();
      const immutagWrites = writes();
      const skopeo = await skopeoPush(layout, `${proxy.host}/bench/app:1.0`);
      return {
        immutag: immutagRun, immutagRequests, immutagBytes, immutagWrites,
        skopeo, skopeoRequests: proxy.seen.length - immutagRequests, skopeoBytes: proxy.uploadedBytes() - immutagBytes, skopeoWrites: writes() - immutagWrites,
      };
    } finally {
      await proxy.stop();
    }
  });
}

function skopeoPush(layout: string, ref: string): Promise<Measured> {
  return measure('skopeo', ['copy', '--quiet', '--preserve-digests', '--dest-tls-verify=false', `oci:${layout}:${LAYOUT_TAG}`, `docker://${ref}`]);
}

async function cachedLayout(name: string, layers: number[]): Promise<string> {
  const dir = join(ROOT, '.bench', name);
  if (existsSync(join(dir, 'index.json'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(ROOT, '.bench'), { recursive: true });
  await writeRandomLayout(dir, layers, LAYOUT_TAG);
  return dir;
}

async function inFreshRegistry<T>(fn: (reg: TestRegistry) => Promise<T>): Promise<T> {
  const reg = await startRegistry();
  try {
    // Each push leaves ~200 MB of dirty pages (the registry's writes); written out here,
    // they are not written back in the middle of the next tool's timing, whichever
    // tool that is.
    execFileSync('sync');
    return await fn(reg);
  } finally {
    await reg.stop();
  }
}

function middle(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)]!;
}
