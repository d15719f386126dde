// A deploy tree written to a temporary folder and pinned, or checked, against the test
// registry, as `immutag pin [--check] deploy` does in a checkout: the set-up the pin
// tests over real deploy shapes share.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MemoryLogger } from '../../src/log.ts';
import type { PinReport } from '../../src/pin/model.ts';
import { runPin } from '../../src/pin/pin.ts';
import { after, before } from 'node:test';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './images.ts';
import type { TestRegistry } from './registry.ts';
import { clientFor } from './registry-client.ts';

export interface PinnedTree {
  report: PinReport;
  /** Each file's text after the run. */
  out: Record<string, string>;
  /** The rows as `file:line reference state`, for assertion messages. */
  rows: string;
}

export async function pinTree(reg: TestRegistry, t: { after(fn: () => Promise<void>): void }, files: Record<string, string>, options: { check: boolean }): Promise<PinnedTree> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-tree-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const { client } = clientFor(reg);
  try {
    const report = await runPin({ paths: ['deploy'], cwd: dir, check: options.check, mutableTags: [], logger: new MemoryLogger(), client });
    const out: Record<string, string> = {};
    for (const name of Object.keys(files)) out[name] = await readFile(join(dir, name), 'utf8');
    const rows = JSON.stringify(report.rows.map((row) => `${row.file}:${row.line} ${row.reference} ${row.state}`));
    return { report, out, rows };
  } finally {
    await client.close();
  }
}

/** A Deployment pinned to a current digest: a deploy folder's usual neighbour, so a check has something that passes. */
export function pinnedDeployment(reg: TestRegistry, name: string, digest: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ${reg.host}/${name}@${digest}\n`;
}

/**
 * One built image pushed under every tag in `tags` before the file's tests run (its layout
 * removed after them): the deploy files then name tags that exist. `digest` is set once
 * the image is pushed.
 */
export function imageAtTags(reg: TestRegistry, tags: readonly string[]): { digest: string } {
  const pushed = { digest: '' };
  let image: BuiltImage;
  before(async () => {
    image = await buildImage();
    for (const tag of tags) pushed.digest = await pushImage(reg, image.ociRef, tag);
  });
  after(() => removeLayout(image));
  return pushed;
}
