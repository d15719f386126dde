// Review: `push: false` with `scan: none` (mode dry-run). run.ts defers layer hashing
// whenever scan is none ("nothing reads the layers but the upload, which hashes them as it
// sends"), but a dry run uploads nothing: the layers are never hashed. A layout whose layer
// no longer matches its digest passes, and the run names as "what would be deployed" a
// digest whose push then fails. The log even says the blobs "are checked as they are sent".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { MemoryLogger } from '../src/log.ts';
import type { ImageManifest } from '../src/oci.ts';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { blobFile, entryFor, flipByte } from './support/image-factory.ts';

const reg = await useRegistry();
let image: BuiltImage;

before(async () => {
  image = await buildImage({ tag: 'v1', files: { '/app.bin': 'x'.repeat(4096) } });
  const manifest = JSON.parse(await readFile(blobFile(image.layout, (await entryFor(image.layout, 'v1')).digest), 'utf8')) as ImageManifest;
  await flipByte(blobFile(image.layout, manifest.layers[0]!.digest), 40);
});

after(async () => {
  await removeLayout(image);
});

test('push: false, scan: none: a layer that does not match its digest fails the run', async () => {
  const all: Record<string, string> = { 'insecure-registries': reg.host, tags: `${reg.host}/dry/app:1.0`, image: image.layout, push: 'false', scan: 'none' };
  const logger = new MemoryLogger();
  const out = await runImmutag(readSettings((name) => all[name]), { logger, env: {} });
  assert.equal(out.report.mode, 'dry-run');
  assert.equal(out.error?.code, 'DIGEST_MISMATCH',
    `result ${out.report.result}, error ${out.error?.code ?? 'none'}, outputs.image ${String(out.outputs.image)}; ` +
    `log: ${JSON.stringify((logger as unknown as { lines?: unknown }).lines ?? logger).match(/Verified[^"]*/)?.[0]}`);
});
