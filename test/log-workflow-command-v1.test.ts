// Found by a review, fixed since: The runner's V1 command syntax `##[command]data` is recognised ANYWHERE in a line, not
// only at its start: actions/runner ActionCommand.TryParse takes message.IndexOf("##["),
// and ActionCommandManager.TryProcessCommand falls back to it whenever TryParseV2 fails.
// oneLine() (846bf9d) escapes `##[` only as a line's first characters, and the scan's
// per-platform line now starts with `platform `, so an index platform named
// `##[stop-commands]token` still silences every later annotation of the run.
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

const EVIL_OS = '##[stop-commands]immutagsilenced';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'rev-cmd-v1-'));
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

test('printable() leaves no `##[` the runner reads, wherever it is in the line', () => {
  for (const m of ['platform ##[stop-commands]x: 1 package', 'warning: ##[error]forged']) {
    assert.doesNotMatch(printable(m), /##\[/, `printable(${JSON.stringify(m)}) is still a V1 workflow command`);
  }
});

test('a platform name from the image index cannot print a workflow command in the Action log', async () => {
  const r = await runAction({
    username: reg.username, password: reg.password, 'insecure-registries': reg.host, 'vuln-db': vulnDb,
    tags: `${reg.host}/cmd/app:1.0`, image: img.layout, push: 'false', comment: 'never',
  }, { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r', GITHUB_WORKFLOW: 'image' });
  const forged = r.stdout.split('\n').filter((l) => l.includes('##[stop-commands]'));
  assert.deepEqual(forged, [], 'the runner would stop processing commands (annotations, setFailed error) after this line');
});
