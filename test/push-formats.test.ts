// Every shape a build step hands over is pushed as exactly the image it holds:
// OCI layout directory, OCI archive, docker save (legacy and Docker 25+ OCI form),
// a multi-platform index (pushed whole, each platform pullable by digest). A
// corrupted blob or a tampered manifest stops the run before the registry sees a
// byte, and the tag does not exist afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import type { RegistryClient } from '../src/registry/client.ts';
import { pushImage } from '../src/registry/push.ts';
import { run } from './support/exec.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { blobFile, dockerArchive, flipByte, dockerArchiveOci, entryFor, readJsonBlob, tarDirectory, tempDir } from './support/image-factory.ts';
import { buildImage, buildIndex, inspectDigest, removeLayout, type BuiltImage } from './support/images.ts';
import { assertPullsBackIdentical } from './support/pull-back.ts';
import { useRegistry } from './support/registry.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { QUICK_SETTLE } from './support/virtual-clock.ts';

const reg = await useRegistry();
let proxy: FaultProxy;
let client: RegistryClient;
let logger: ReturnType<typeof clientFor>['logger'];
let work: Awaited<ReturnType<typeof tempDir>>;
const built: BuiltImage[] = [];

before(async () => {
  proxy = await startFaultProxy(reg.url);
  ({ client, logger } = clientFor(reg, { via: proxy.host }));
  work = await tempDir('push-formats');
});

after(async () => {
  await client.close();
  await proxy.stop();
  for (const image of built) await removeLayout(image);
  await work.cleanup();
});

async function track<T extends BuiltImage>(image: Promise<T>): Promise<T> {
  const b = await image;
  built.push(b);
  return b;
}

async function pushFile(path: string, repoTag: string): Promise<{ local: LocalImage; digest: string }> {
  const tags = refs(proxy.host, repoTag);
  const local = await openImage(path, { names: tags.map((t) => t.input) });
  try {
    const result = await pushImage({ client, image: local, refs: tags, logger, settle: QUICK_SETTLE });
    assert.deepEqual(Object.values(result.pushed), ['created']);
    assert.equal(await inspectDigest(reg, repoTag), result.digest, 'skopeo sees the digest immutag reports');
    await assertPullsBackIdentical(reg, repoTag.split(':')[0]!, local);
    return { local, digest: result.digest };
  } finally {
    await local.close();
  }
}

const shapes: { name: string; make: (image: BuiltImage) => Promise<string>; kind: string }[] = [
  { name: 'OCI layout directory', kind: 'oci-layout', make: async (image) => image.layout },
  { name: 'OCI archive', kind: 'oci-archive', make: (image) => tarDirectory(image.layout, join(work.dir, 'oci.tar')) },
  { name: 'docker save (legacy)', kind: 'docker-archive', make: (image) => dockerArchive(image, join(work.dir, 'legacy.tar'), 'acme/app:1.0') },
  {
    name: 'docker save (Docker 25+ OCI form)', kind: 'docker-archive-oci',
    make: async (image) => (await dockerArchiveOci([{ image, repoTags: ['acme/app:1.0'] }], join(work.dir, 'docker-oci.tar'))).file,
  },
];

for (const shape of shapes) {
  test(`${shape.name}: pushed as the image it holds`, async () => {
    const image = await track(buildImage({ layers: [{ '/etc/app.conf': `${shape.name}\n` }, { '/bin/tool': 'binary\n' }] }));
    const path = await shape.make(image);
    const repo = `formats/${shape.kind}`;
    const { local, digest } = await pushFile(path, `${repo}:1.0`);
    assert.equal(local.kind, shape.kind);
    assert.equal(digest, local.top.digest);
  });
}

test('a multi-platform index is pushed whole: the tag is our index, each platform pullable by digest', async () => {
  const image = await track(buildIndex({ arches: ['amd64', 'arm64'] }));
  const { local, digest } = await pushFile(image.layout, 'formats/multi:multi');

  const { stdout } = await run('skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/formats/multi:multi`]);
  assert.deepEqual(Buffer.from(stdout), local.manifests.get(digest));
  assert.equal(local.platforms.length, 2);
  for (const platform of image.platforms) {
    const { stdout: raw } = await run('skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/formats/multi@${platform.digest}`]);
    assert.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`, platform.digest);
    const { stdout: config } = await run('skopeo', ['inspect', '--config', ...reg.skopeoArgs(), `docker://${reg.host}/formats/multi@${platform.digest}`]);
    assert.equal((JSON.parse(config) as { architecture: string }).architecture, platform.arch);
  }
});

const corruptions: { name: string; corrupt: (image: BuiltImage) => Promise<void> }[] = [
  {
    name: 'a corrupted layer',
    corrupt: async (image) => {
      const manifest = await readJsonBlob<{ layers: { digest: string }[] }>(image.layout, (await entryFor(image.layout, image.tag)).digest);
      await flipByte(blobFile(image.layout, manifest.layers[0]!.digest), 20);
    },
  },
  {
    name: 'a tampered manifest',
    corrupt: async (image) => flipByte(blobFile(image.layout, (await entryFor(image.layout, image.tag)).digest), 20),
  },
];

for (const { name, corrupt } of corruptions) {
  test(`${name} in the layout: DIGEST_MISMATCH before the registry sees a byte; the tag does not exist`, async () => {
    const image = await track(buildImage({ files: { '/x': `${name}\n` } }));
    await corrupt(image);
    const mark = proxy.seen.length;
    const tags = refs(proxy.host, 'formats/corrupt:1.0');

    await assert.rejects(async () => {
      const local = await openImage(image.layout);
      await pushImage({ client, image: local, refs: tags, logger, settle: QUICK_SETTLE });
    }, { code: 'DIGEST_MISMATCH' });

    assert.deepEqual(proxy.seen.slice(mark), []);
    assert.equal((await client.manifestState(tags[0]!)).kind, 'absent');
  });
}
