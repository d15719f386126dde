// Issue 9's race figure: rounds of two `immutag push` processes, started together,
// pushing two different images to the same new immutable tag of the real registry.
// The figure is how many rounds ended with BOTH exiting 0 (both told they own the
// tag): the goal is 0. Each round uses a new tag, so every round is a fresh race.
//
// immutag runs as a user runs it: `node dist/cli.js push --scan none`, with the
// default settle window. IMMUTAG_BENCH_CLI times another build (e.g. an older one);
// IMMUTAG_BENCH_RACE_ROUNDS sets the rounds (default 20).
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildImage, removeLayout, type BuiltImage } from '../../test/support/images.ts';
import { startRegistry } from '../../test/support/registry.ts';
import type { BenchRow } from './row.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = process.env['IMMUTAG_BENCH_CLI'] ?? join(ROOT, 'dist', 'cli.js');
const ROUNDS = Number(process.env['IMMUTAG_BENCH_RACE_ROUNDS'] ?? 20);

interface Exit { code: number }

export async function benchRace(): Promise<BenchRow[]> {
  const reg = await startRegistry();
  const images: BuiltImage[] = [await buildImage({ files: { '/which': 'A\n' } }), await buildImage({ files: { '/which': 'B\n' } })];
  let both = 0;
  let one = 0;
  let neither = 0;
  const seconds: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const tag = `race/bench:${round}`;
      const started = process.hrtime.bigint();
      const [x, y] = await Promise.all(images.map((img) => push(img.layout, reg.host, `${reg.host}/${tag}`)));
      seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
      const passed = [x!, y!].map((e, i) => (e.code === 0 ? i : -1)).filter((i) => i >= 0);
      if (passed.length === 2) both++;
      else if (passed.length === 1) one++;
      else neither++;
    }
  } finally {
    await reg.stop();
    for (const img of images) await removeLayout(img);
  }
  seconds.sort((p, q) => p - q);
  const note = `both exited 0 in ${both} of ${ROUNDS} rounds (goal 0); one passed in ${one}; neither in ${neither}`;
  return [{ section: `race: two pushes of different images to one new tag, ${ROUNDS} rounds`, tool: 'immutag push ×2 at once', seconds: seconds[Math.floor(seconds.length / 2)] ?? 0, note }];
}

function push(layout: string, host: string, ref: string): Promise<Exit> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'push', '--image', layout, '--scan', 'none', '--insecure-registry', host, ref], (err) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      done({ code });
    });
  });
}
