// A layer spooled to TMPDIR while it is hashed is removed when the CLI is stopped by
// SIGTERM, SIGINT or SIGHUP mid-download, and the CLI still answers, exiting 128 + the
// signal's number (a second signal would end it by the signal at once). The
// fault proxy forwards the first bytes of the layer and then holds the connection, so
// the partial spool file is on disk when the signal arrives (the test waits for it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { run } from './support/exec.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SENT = 256 * 1024;

const reg = await useRegistry();
let proxy: FaultProxy;
let image: BuiltImage;
let digest: string;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'immutag-spool-'));
  image = await buildImage({ files: { '/big.bin': randomBytes(4 * 1024 * 1024) } });
  digest = await pushImage(reg, image.ociRef, 'spool/app:1.0');
  const { stdout } = await run('skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/spool/app@${digest}`]);
  const layer = (JSON.parse(stdout) as { layers: { digest: string }[] }).layers[0]!.digest;
  proxy = await startFaultProxy(reg.url, [{ method: 'GET', path: new RegExp(`/blobs/${layer}$`), action: { kind: 'stall', bytes: SENT } }]);
});

after(async () => {
  await proxy?.stop();
  if (image) await removeLayout(image);
  await rm(work, { recursive: true, force: true });
});

/** The spool files under `dir` (inside immutag-blobs-* directories) and their sizes. */
async function spooled(dir: string): Promise<number[]> {
  const sizes: number[] = [];
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith('immutag-blobs-')) continue;
    for (const file of await readdir(join(dir, entry)).catch(() => [])) {
      sizes.push((await stat(join(dir, entry, file)).catch(() => ({ size: 0 }))).size);
    }
  }
  return sizes;
}

async function waitFor(what: string, check: () => Promise<boolean>, child: { exitCode: number | null }, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (child.exitCode !== null) assert.fail(`the CLI exited (${child.exitCode}) before ${what}: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} did not happen within 60 s: ${stderr()}`);
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  test(`${signal} during a layer download removes the spool directory, and the CLI answers and exits 128 + ${signal}'s number`, async () => {
    const temp = await mkdtemp(join(work, `${signal}-`));
    const child = spawn(process.execPath, [CLI, 'verify', '--digest', digest, `${proxy.host}/spool/app:1.0`, '--insecure-registry', proxy.host, '--verbose'], {
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], TMPDIR: temp, NODE_DISABLE_COMPILE_CACHE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig })));
    await waitFor('a partial layer was spooled', async () => (await spooled(temp)).some((size) => size > 0), child, () => stderr);
    assert.ok((await spooled(temp)).every((size) => size <= SENT), 'the layer is partial');
    child.kill(signal);
    const end = await exited;
    // The CLI's first signal stops the run, which answers (RUN_CANCELLED) and exits as a
    // shell reports a process the signal ended (cli.ts); the Action still dies of it.
    assert.deepEqual(end, { code: 128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal], signal: null }, stderr);
    assert.match(stderr, new RegExp(`RUN_CANCELLED: The run was stopped by ${signal}`));
    assert.deepEqual((await readdir(temp)).filter((e) => e.startsWith('immutag-')), [], 'nothing of immutag is left in TMPDIR');
  });
}
