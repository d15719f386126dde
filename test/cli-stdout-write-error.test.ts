// Found by a review (fixed since): stdout that cannot be written (a full disk, EIO; /dev/full stands in for it).
// cli.ts swallows every stdout error (`stream.on('error', () => undefined)`, meant for
// EPIPE from `| head`), so `immutag … --json > verdict.json` on a full disk exits 0 with
// the "exactly one JSON document on every path" (README) lost: the caller asked for the
// document in a file, and exit 0 tells it the run passed and its output is there.
// The Node < 24 entry (cli-entry.ts) has no handler at all: the same write error there
// is an unhandled 'error' event, Node's exit 1, which the CLI documents as "violation".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let image: BuiltImage;
before(async () => { image = await buildImage(); });
after(async () => { await removeLayout(image); });

function runToDevFull(node: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  const child = spawn(node, [CLI, ...args], { env: { PATH: process.env['PATH'], HOME: process.env['HOME'] }, stdio: ['ignore', full, 'pipe'] });
  closeSync(full);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

test('--json whose document cannot be written (ENOSPC) is not exit 0', async () => {
  const r = await runToDevFull(process.execPath, ['push', '--image', image.layout, '--no-push', '--scan', 'none', '--json']);
  assert.equal(r.code, 2, `exit ${r.code} although the JSON document was never written; stderr ends: ${r.stderr.trim().split('\n').at(-1)}`);
});

test('on Node < 24, --json to a stdout that fails exits 2, not 1 ("violation")', async () => {
  const old = ['/usr/bin/node', ...execFileSync('which', ['-a', 'node'], { encoding: 'utf8' }).split('\n').filter(Boolean)]
    .find((p) => { try { return Number(/^v(\d+)/.exec(execFileSync(p, ['--version'], { encoding: 'utf8' }))?.[1]) < 24; } catch { return false; } });
  assert.ok(old, 'no Node older than 24 here');
  const r = await runToDevFull(old, ['check', 'a/b:1', '--json']);
  assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.stderr.split('\n').filter((l) => /ENOSPC|Unhandled/.test(l)).join(' | ')}`);
});
