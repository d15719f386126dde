// Found by a review: README "--json prints one JSON document on stdout on every
// path"; 8dada12 made the CLI's first SIGTERM stop the run and still answer (exit 128 + n),
// but only for check/push/verify: `immutag pin … --json` (and, since bbc2b03, `immutag --json
// pin …`) still dies of the first signal with nothing on stdout, while it waits on the registry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { startForwardingProxy, type ForwardingProxy } from './support/forwarding-proxy.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const reg = await useRegistry();
let proxy: ForwardingProxy;
let dir: string;

before(async () => {
  proxy = await startForwardingProxy(reg.url);
  dir = mkdtempSync(join(tmpdir(), 'rev-pin-sig-'));
});
after(async () => {
  await proxy?.stop();
  rmSync(dir, { recursive: true, force: true });
});

for (const args of [['pin', '--json'], ['--json', 'pin']]) {
  test(`SIGTERM while "immutag ${args.join(' ')}" waits on the registry: one JSON document, exit 143`, async () => {
    const sub = mkdtempSync(join(dir, 'case-'));
    const file = join(sub, 'Dockerfile');
    writeFileSync(file, `FROM ${proxy.host}/rev/pin-sig:1.0\n`);
    const pause = proxy.pauseWhen((_method, path) => path.startsWith('/v2/rev/pin-sig/manifests/'));
    const child = spawn(process.execPath, [CLI, ...args, file, '--insecure-registries', proxy.host], {
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'] }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    await pause.reached;
    child.kill('SIGTERM');
    const end = await exited;
    pause.release();
    assert.doesNotThrow(() => JSON.parse(stdout), `stdout was ${JSON.stringify(stdout)}; exit ${JSON.stringify(end)}`);
    assert.deepEqual(end, { code: 143, signal: null });
  });
}
