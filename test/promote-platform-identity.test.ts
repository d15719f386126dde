// Found by a review, fixed since: 81446cb compares platforms as the exact string os/architecture/variant of
// the configs. (1) The same platform spelled two ways: BuildKit/containerd versions differ on
// whether an arm64 config says variant "v8" (containerd's Normalize now drops it), so a rebuild
// of the same commit on a newer runner is refused promotion to the image an older runner
// published: the legitimate re-run use now fails. (2) os.version is left out: a Windows build
// for 10.0.20348 (ltsc2022) is promoted to a published 10.0.17763 (ltsc2019) image, which does
// not run where this build does (process isolation needs the matching host build): the defect
// the commit fixed, through the os.version path.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryLogger } from '../src/log.ts';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { useRegistry } from './support/registry.ts';
import { R1, SOURCE } from './support/test-builds.ts';

const reg = await useRegistry();
const layouts: BuiltImage[] = [];
after(async () => { for (const l of layouts) await removeLayout(l); });
const labels = (version: string) => ({
  'org.opencontainers.image.revision': R1, 'org.opencontainers.image.source': SOURCE, 'org.opencontainers.image.version': version,
});

/** Rewrites the config of the layout's single image (what another builder would have written). */
async function editConfig(img: BuiltImage, edit: (config: Record<string, unknown>) => void): Promise<void> {
  const blob = (d: string) => join(img.layout, 'blobs', 'sha256', d.slice('sha256:'.length));
  const put = async (bytes: Buffer) => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    await writeFile(blob(digest), bytes);
    return { digest, size: bytes.length };
  };
  const index = JSON.parse(await readFile(join(img.layout, 'index.json'), 'utf8'));
  const desc = index.manifests.find((m: { annotations?: Record<string, string> }) => m.annotations?.['org.opencontainers.image.ref.name'] === img.tag);
  const manifest = JSON.parse(await readFile(blob(desc.digest), 'utf8'));
  const config = JSON.parse(await readFile(blob(manifest.config.digest), 'utf8'));
  edit(config);
  Object.assign(manifest.config, await put(Buffer.from(JSON.stringify(config))));
  Object.assign(desc, await put(Buffer.from(JSON.stringify(manifest))));
  await writeFile(join(img.layout, 'index.json'), JSON.stringify(index));
}

async function run(repo: string, layout: string) {
  const tags = [`${repo}:sha-ec26c3e`, `${repo}:1.2.3`].map((t) => `${reg.host}/${t}`).join('\n');
  const inputs: Record<string, string> = { 'insecure-registries': reg.host, tags, image: layout, scan: 'none', 'promote-same-revision': 'true', 'tag-settle-seconds': '0.5' };
  const logger = new MemoryLogger();
  const out = await runImmutag(readSettings((name) => inputs[name]), { logger, env: {} });
  return { ...out, lines: logger.lines };
}

async function scenario(repo: string, published: (c: Record<string, unknown>) => void, ours: (c: Record<string, unknown>) => void, arch = 'arm64') {
  const main = await buildImage({ arch, files: { '/app': 'x\n' }, labels: labels('main') });
  const release = await buildImage({ arch, files: { '/app': 'x\n' }, labels: labels('1.2.3') });
  layouts.push(main, release);
  await editConfig(main, published);
  await editConfig(release, ours);
  const pub = await pushImage(reg, main.ociRef, `${repo}:sha-ec26c3e`);
  const out = await run(repo, release.layout);
  const written = await inspectDigest(reg, `${repo}:1.2.3`).catch(() => 'absent');
  return { out, pub, written };
}

test('control: same revision, same arm64 config platform: promoted', async () => {
  const { out, pub, written } = await scenario('ctl/api', () => {}, () => {});
  assert.equal(out.report.result, 'pass');
  assert.equal(written, pub);
});

test('same revision rebuilt by a newer builder (arm64 config without variant v8) is promoted to the published arm64/v8 image', async () => {
  const { out, pub, written } = await scenario('v8/api', (c) => { c['variant'] = 'v8'; }, (c) => { delete c['variant']; });
  const why = (JSON.stringify(out.report).match(/[^"]*(would not run there|never promoted|cannot vouch)[^"]*/) ?? [''])[0];
  assert.equal(out.report.result, 'pass', `refused: ${why}`);
  assert.equal(written, pub);
});

test('a Windows ltsc2022 build is not promoted to a published ltsc2019 image of the same revision', async () => {
  const { out, pub, written } = await scenario('win/api',
    (c) => { c['os'] = 'windows'; c['os.version'] = '10.0.17763.5696'; },
    (c) => { c['os'] = 'windows'; c['os.version'] = '10.0.20348.2402'; }, 'amd64');
  assert.notEqual(out.report.result, 'pass', `passed: 1.2.3 -> ${written} (the ltsc2019 image ${pub}) for an ltsc2022 build`);
});
