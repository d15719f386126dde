// Choosing the image in a file that holds several: by the names being pushed,
// against the ref-name/containerd annotations or RepoTags the file carries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImmutagError } from '../src/errors.ts';
import { openImage } from '../src/image/open-image.ts';
import { parseName, selectImage } from '../src/image/select-image.ts';
import { buildImage, type BuiltImage } from './support/images.ts';
import { dockerArchiveOci, entryFor, tempDir } from './support/image-factory.ts';

test('names parse as bare tags or normalized references', () => {
  const cases: Array<[string, { repository?: string; tag: string }]> = [
    ['1.4.0', { tag: '1.4.0' }],
    ['latest', { tag: 'latest' }],
    ['api:1.4.0', { repository: 'docker.io/library/api', tag: '1.4.0' }],
    ['acme/api', { repository: 'docker.io/acme/api', tag: 'latest' }],
    ['ghcr.io/acme/api:1.4.0', { repository: 'ghcr.io/acme/api', tag: '1.4.0' }],
    ['localhost:5000/api', { repository: 'localhost:5000/api', tag: 'latest' }],
    ['localhost/api:v1', { repository: 'localhost/api', tag: 'v1' }],
    ['index.docker.io/acme/api:2', { repository: 'docker.io/acme/api', tag: '2' }],
    ['ghcr.io/acme/api:1.4.0@sha256:' + 'a'.repeat(64), { repository: 'ghcr.io/acme/api', tag: '1.4.0' }],
  ];
  for (const [raw, want] of cases) assert.deepEqual(parseName(raw), want, raw);
});

const held = [
  { id: 'sha256:api', names: ['1.4.0', 'ghcr.io/acme/api:1.4.0'] },
  { id: 'sha256:web', names: ['ghcr.io/acme/web:1.4.0'] },
  { id: 'sha256:old', names: ['acme/api:0.9'] },
  { id: 'sha256:anon', names: [] },
];

test('selection: full references beat tags, one image is always taken, ties and misses are errors', () => {
  const cases: Array<[string, typeof held, string[], string | RegExp]> = [
    ['a full reference picks its image', held, ['ghcr.io/acme/web:1.4.0', '1.4.0'], 'sha256:web'],
    ['a familiar name matches its docker.io form', held, ['docker.io/acme/api:0.9'], 'sha256:old'],
    ['a bare tag matches a full name with that tag', held, ['0.9'], 'sha256:old'],
    ['a full reference matches a bare ref name by tag', [held[0]!, held[2]!], ['registry.example/x/y:1.4.0'], 'sha256:api'],
    ['the only image is taken whatever it is named', [held[3]!], ['ghcr.io/acme/api:9'], 'sha256:anon'],
    ['one image listed twice is still one image', [held[1]!, { id: 'sha256:web', names: ['other'] }], [], 'sha256:web'],
    ['a tag two images carry is ambiguous', held, ['1.4.0'], /several images that match 1\.4\.0/],
    ['no match lists what the file holds', held, ['ghcr.io/acme/api:2.0.0', '2.0.0'],
      /holds 4 images and none is named ghcr\.io\/acme\/api:2\.0\.0, 2\.0\.0\. It holds: sha256:api \(1\.4\.0, ghcr\.io\/acme\/api:1\.4\.0\); sha256:web .*sha256:anon \(unnamed\)/],
    ['no names and several images', held, [], /none is named \(no names given\)/],
    ['an empty file', [], ['1.0'], /holds no image/],
  ];
  for (const [name, candidates, wanted, expect] of cases) {
    if (typeof expect === 'string') {
      assert.equal(selectImage(candidates, wanted, 'image.tar').id, expect, name);
    } else {
      assert.throws(() => selectImage(candidates, wanted, 'image.tar'), (e: ImmutagError) => e.code === 'IMAGE_INVALID' && expect.test(e.message), name);
    }
  }
});

let work: Awaited<ReturnType<typeof tempDir>>;
let first: BuiltImage;
let second: BuiltImage;

before(async () => {
  work = await tempDir('image-select');
  first = await buildImage({ tag: '1.4.0' });
  second = await buildImage({ layout: first.layout, tag: '2.0.0' });
});

after(async () => {
  await work.cleanup();
  await rm(join(first.layout, '..'), { recursive: true, force: true });
});

test('a layout holding two tagged images: the pushed tag picks one, an unknown tag lists both', async () => {
  const wanted = (await entryFor(first.layout, '2.0.0')).digest;
  const image = await openImage(first.layout, { names: ['ghcr.io/acme/api:2.0.0', '2.0.0'] });
  assert.equal(image.top.digest, wanted);
  await image.close();
  await assert.rejects(openImage(first.layout, { names: ['ghcr.io/acme/api:3.0.0', '3.0.0'] }), (e: ImmutagError) =>
    e.code === 'IMAGE_INVALID' && e.message.includes('1.4.0') && e.message.includes('2.0.0') && e.message.includes(wanted));
});

test('a docker save (OCI form) of two repositories with one tag: the full name decides', async () => {
  const saved = await dockerArchiveOci([
    { image: first, repoTags: ['acme/api:1.4.0'] },
    { image: second, repoTags: ['acme/web:1.4.0'] },
  ], join(work.dir, 'two.tar'));
  const image = await openImage(saved.file, { names: ['docker.io/acme/web:1.4.0', '1.4.0'] });
  assert.equal(image.top.digest, saved.manifests[1]);
  await image.close();
  await assert.rejects(openImage(saved.file, { names: ['1.4.0'] }), { code: 'IMAGE_INVALID', message: /several images/ });
});
