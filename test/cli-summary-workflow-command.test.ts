// Found by a review (fixed since), sibling of fba2b96's log.ts fix (the Action's log escapes `##[` anywhere). The CLI run in a
// workflow step (`run: immutag push … --json` or `--summary`) prints its document to stdout,
// which the runner reads line by line as it does the Action's: the JSON and Markdown carry
// the platform name raw, so `##[stop-commands]…` still silences the rest of the job's commands.
// Original note: The runner's V1 command syntax `##[command]data` is recognised ANYWHERE in a line, not
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
import { runCli } from './support/action-runner.ts';

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

for (const flag of ['--json', '--summary']) {
  test(`a platform name from the image index cannot print a workflow command on the CLI's stdout (${flag}) in a workflow step`, async () => {
    const r = await runCli(['push', '--image', img.layout, '--no-push', '--insecure-registries', reg.host, '--vuln-db', vulnDb,
      '--username', reg.username, `${reg.host}/cmd/app:1.0`, flag], { GITHUB_ACTIONS: 'true', IMMUTAG_PASSWORD: reg.password });
    const forged = r.stdout.split('\n').filter((l) => l.includes('##[stop-commands]'));
    assert.deepEqual(forged, [], `exit ${r.code}: the runner would stop processing commands after this stdout line`);
  });
}
