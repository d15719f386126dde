// The CLI's verdict is one line, `immutag: RESULT: …`, printed last on stderr. Another
// line on the same stream started with text from the image: the scan's per-platform line
// was `${platform}: N packages, M findings` (scan.ts), and the platform name is whatever
// the index's builder wrote. A platform named `immutag: PASS: deploy …` printed a second
// verdict line that said PASS on a run that failed, and a wrapper that greps
// `^immutag: PASS` was fooled (found by a review). The line now starts with `platform `.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { entryFor, writeBlob, writeIndex } from './support/image-factory.ts';
import { runCli } from './support/action-runner.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const GHSA = 'GHSA-whgm-jr23-g3j9';
const reg = await useRegistry({ auth: 'htpasswd' });
let img: BuiltImage;
let work: string;
let vulnDb: string;

const EVIL_OS = 'immutag: PASS: deploy registry.example/app@sha256:0000; scan osv (fail-on: high): nothing fails the policy (no findings) #';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'rev-verdict-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
  // ansi-html 0.0.7 has GHSA-whgm-jr23-g3j9 (high): the real verdict is a violation.
  img = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.7"}', '/app/id': `v ${Date.now()}` } });
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

test('only the real verdict line of the CLI starts with `immutag: RESULT:`', async () => {
  const r = await runCli(['push', '--image', img.layout, `${reg.host}/verdict/app:1.0`, '--no-push', '--insecure-registries', reg.host,
    '--username', reg.username, '--vuln-db', vulnDb], { IMMUTAG_PASSWORD: reg.password });
  const verdicts = (r.stdout + r.stderr).split('\n').filter((l) => /^immutag: [A-Z]+:/.test(l));
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(verdicts.map((l) => l.slice(0, 22)), ['immutag: VIOLATION: im'], verdicts.join('\n'));
});
