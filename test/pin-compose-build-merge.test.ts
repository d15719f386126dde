// A Compose service whose `build:` comes through a merge key (`<<: *build`, the
// usual way to share build settings) builds its `image:`; pin must skip it as it skips
// `build:` written beside `image:`, and must not rewrite it through an anchor either.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';
import { runPin } from '../src/pin/pin.ts';
import { MemoryLogger } from '../src/log.ts';

const reg = await useRegistry();
let image: BuiltImage;

before(async () => {
  image = await buildImage();
  // CI pushed the dev image once: the registry has it, so nothing stops pin from writing.
  await pushImage(reg, image.ociRef, 'acme/api:dev');
});
after(async () => removeLayout(image));

async function pinIn(files: Record<string, string>, check = false) {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-review-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const { client } = clientFor(reg);
  try {
    const report = await runPin({ paths: ['.'], cwd: dir, check, mutableTags: [], logger: new MemoryLogger(), client });
    const out: Record<string, string> = {};
    for (const name of Object.keys(files)) out[name] = await readFile(join(dir, name), 'utf8');
    return { report, out, dir };
  } finally {
    await client.close();
  }
}

test('compose: build: merged in with <<: *anchor makes image: the image the service builds; pin leaves it alone', async (t) => {
  const compose = [
    'x-build: &build',
    '  build:',
    '    context: .',
    '    dockerfile: Dockerfile',
    'services:',
    '  api:',
    '    <<: *build',
    `    image: ${reg.host}/acme/api:dev`,
    '',
  ].join('\n');
  const { report, out, dir } = await pinIn({ 'docker-compose.yml': compose });
  t.after(() => rm(dir, { recursive: true, force: true }));
  const row = report.rows.find((r) => r.reference === `${reg.host}/acme/api:dev`);
  assert.equal(row?.state, 'skipped', `expected skipped (build: via merge key), got ${row?.state}`);
  assert.equal(out['docker-compose.yml'], compose, 'the build service\'s image: must not be rewritten');
});

test('compose: an alias to the image another service builds does not rewrite that build service\'s image:', async (t) => {
  const compose = [
    'services:',
    '  api:',
    '    build: .',
    `    image: &api ${reg.host}/acme/api:dev`,
    '  worker:',
    '    image: *api',
    '    command: worker',
    '',
  ].join('\n');
  const { out, dir } = await pinIn({ 'docker-compose.yml': compose });
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.match(out['docker-compose.yml']!, new RegExp(`build: \\.\\n    image: &api ${reg.host.replace(/[.]/g, '\\.')}/acme/api:dev\\n`),
    'api builds this image: its image: line must stay a plain tag');
});
