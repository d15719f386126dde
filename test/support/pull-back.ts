// Pulls what immutag pushed back out with skopeo (the tool a user would reach for)
// into a fresh OCI layout, and checks it is byte for byte the image that was
// pushed: every manifest identical, every blob present and hashing to its digest.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalImage } from '../../src/image/local-image.ts';
import { run } from './exec.ts';
import type { TestRegistry } from './registry.ts';

export async function assertPullsBackIdentical(reg: TestRegistry, repository: string, image: LocalImage): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pullback-'));
  try {
    const out = join(dir, 'layout');
    await run('skopeo', ['copy', '--quiet', '--all', '--preserve-digests', ...reg.skopeoSrcArgs(),
      `docker://${reg.host}/${repository}@${image.top.digest}`, `oci:${out}:pulled`]);
    for (const [digest, bytes] of image.manifests) {
      assert.deepEqual(await readFile(blobPath(out, digest)), bytes, `manifest ${digest} pulled back differs`);
    }
    for (const blob of image.blobs) {
      assert.equal(await hashFile(blobPath(out, blob.digest)), blob.digest, `blob ${blob.digest} pulled back differs`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function blobPath(layout: string, digest: string): string {
  return join(layout, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
