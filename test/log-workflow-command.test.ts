// A platform name comes from the image index (descriptor.platform.os), which the
// image's builder writes. The scan's per-platform log line started with it
// (scan.ts: `${p.platform}: N packages, M findings`), and the Action prints info lines
// with core.info(printable(m)): printable() escaped control characters but left a line
// that starts with `::`, which the runner reads as a workflow command. `::stop-commands::`
// then silenced every later annotation and the setFailed error of the run (found by a
// review). A line starting with `::` or `##[` now has that character escaped, and the
// scan's line starts with `platform `.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { entryFor, writeBlob, writeIndex } from './support/image-factory.ts';
import { runAction } from './support/action-runner.ts';
import { printable } from '../src/log.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const GHSA = 'GHSA-whgm-jr23-g3j9';
const reg = await useRegistry({ auth: 'htpasswd' });
let img: BuiltImage;
let work: string;
let vulnDb: string;

const EVIL_OS = '::stop-commands::immutagsilenced';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'rev-cmd-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
  img = await buildImage({ files: { '/hello.txt': `hello ${Date.now()}\n` } });
  const entry = await entryFor(img.layout, img.tag);
  const index = await writeBlob(img.layout, 'application/vnd.oci.image.index.v1+json', JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: entry.mediaType, digest: entry.digest, size: entry.size, platform: { os: EVIL_OS, architecture: 'amd64' } }],
  }));
  await writeIndex(img.layout, { schemaVersion: 2, manifests: [{ ...index, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] });
});

after(async () => {
  await removeLayout(img);
  await rm(work, { recursive: true, force: true });
});

test('printable() does not leave a line that the runner reads as a workflow command', () => {
  for (const m of ['::stop-commands::x', '  ::add-mask::x', '##[error]forged']) {
    assert.doesNotMatch(printable(m), /^\s*(::[a-z-]+|##\[)/i, `printable(${JSON.stringify(m)}) is still a workflow command`);
  }
});

test('a platform name from the image index cannot print a workflow command in the Action log', async () => {
  const r = await runAction({
    username: reg.username, password: reg.password, 'insecure-registries': reg.host, 'vuln-db': vulnDb,
    tags: `${reg.host}/cmd/app:1.0`, image: img.layout, push: 'false', comment: 'never',
  }, { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r', GITHUB_WORKFLOW: 'image' });
  const forged = r.stdout.split('\n').filter((l) => /^\s*::stop-commands::/.test(l));
  assert.deepEqual(forged, [], 'the runner would stop processing commands (annotations, setFailed error) after this line');
});
