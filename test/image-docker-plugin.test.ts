// A Docker managed plugin as `docker plugin push` writes it: a Docker schema 2 manifest
// whose config is application/vnd.docker.plugin.v1+json, with gzip rootfs layers. Its
// config is moby's types.PluginConfig marshalled by Go, whose fields include
// "Network":{"Type":...} and "Mounts":[{..."Type":...}] (api/types/plugin.go).
// Docker's puller refuses it as an image: for a schema 2 manifest it allows only the
// exact config types in distribution.ImageTypes; the prefix rule (checkSupportedMediaType)
// is the OCI path's. So it is an artifact, and its "Type" keys, which Go decodes into no
// image struct, are not folded against the config's rootfs "type".
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openImage } from '../src/image/open-image.ts';
import { buildTar } from './support/layer-tar.ts';
import { sha256, tempDir, writeBlob, writeIndex } from './support/image-factory.ts';

let work: Awaited<ReturnType<typeof tempDir>>;
before(async () => { work = await tempDir('docker-plugin'); });
after(async () => { await work.cleanup(); });

test('a Docker plugin pushed by `docker plugin push` opens (it is no image to Docker, containerd or immutag)', async () => {
  const layout = join(work.dir, 'layout');
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const rootfs = await buildTar([{ name: 'docker-volume-sshfs', content: '#!/bin/sh\n' }]);
  const layer = await writeBlob(layout, 'application/vnd.docker.image.rootfs.diff.tar.gzip', gzipSync(rootfs));
  // vieux/sshfs's config, as moby marshals types.PluginConfig.
  const config = await writeBlob(layout, 'application/vnd.docker.plugin.v1+json', JSON.stringify({
    Args: { Description: '', Name: '', Settable: null, Value: null },
    Description: 'sshFS plugin for Docker',
    DockerVersion: '18.02.0-ce',
    Documentation: 'https://docs.docker.com/engine/extend/plugins/',
    Entrypoint: ['/docker-volume-sshfs'],
    Env: [{ Description: '', Name: 'DEBUG', Settable: ['value'], Value: '0' }],
    Interface: { Socket: 'sshfs.sock', Types: ['docker.volumedriver/1.0'] },
    IpcHost: false,
    Linux: { AllowAllDevices: false, Capabilities: ['CAP_SYS_ADMIN'], Devices: [{ Description: '', Name: '', Path: '/dev/fuse', Settable: null }] },
    Mounts: [{ Description: '', Destination: '/mnt/state', Name: 'state', Options: ['rbind'], Settable: ['source'], Source: '/var/lib/docker/plugins/', Type: 'bind' }],
    Network: { Type: 'host' },
    PidHost: false,
    PropagatedMount: '/mnt/volumes',
    User: {},
    WorkDir: '',
    rootfs: { diff_ids: [sha256(rootfs)], type: 'layers' },
  }));
  const manifest = await writeBlob(layout, 'application/vnd.docker.distribution.manifest.v2+json', JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config, layers: [layer],
  }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  const image = await openImage(layout, { names: ['v1'] });
  await image.close();
  assert.ok(true);
});
