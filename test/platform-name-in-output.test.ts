// A platform name comes from the image index (descriptor.platform.os), which whoever built
// the image writes, and it reaches every text immutag prints. Reviews found four ways it
// took over what a reader or the runner sees, all fixed since:
// - The scan's per-platform line started with it, and the Action prints log lines through
//   core.info(printable(m)): printable() escaped control characters but left a line that
//   starts with `::`, which the runner reads as a workflow command; `::stop-commands::`
//   then silenced every later annotation and the run's setFailed error.
// - The runner's older form `##[command]` is read anywhere in a line (actions/runner
//   ActionCommand.TryParse takes message.IndexOf("##[")), so escaping only a leading
//   `##[` was not enough.
// - The CLI run in a workflow step prints its --summary Markdown to stdout, which the
//   runner reads line by line too.
// - A platform named `immutag: PASS: …` printed a second verdict line on the CLI's stderr
//   that said PASS on a run that failed, and a wrapper grepping `^immutag: PASS` was fooled.
// Now oneLine() escapes a leading `::`/`##[` and every `##[`, the scan's line starts with
// `platform `, and the CLI's --summary breaks `##[` with a zero-width joiner.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printable } from '../src/log.ts';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { entryFor, writeBlob, writeIndex } from './support/image-factory.ts';
import { runAction, runCli } from './support/action-runner.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const GHSA = 'GHSA-whgm-jr23-g3j9';
const reg = await useRegistry({ auth: 'htpasswd' });
const built: BuiltImage[] = [];
let work: string;
let vulnDb: string;

/** An image whose index names its one manifest's platform os `os`; `files` as buildImage takes them. */
async function imageWithPlatform(os: string, files: Record<string, string>): Promise<BuiltImage> {
  const img = await buildImage({ files });
  built.push(img);
  const entry = await entryFor(img.layout, img.tag);
  const index = await writeBlob(img.layout, 'application/vnd.oci.image.index.v1+json', JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: entry.mediaType, digest: entry.digest, size: entry.size, platform: { os, architecture: 'amd64' } }],
  }));
  await writeIndex(img.layout, { schemaVersion: 2, manifests: [{ ...index, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] });
  return img;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'platform-output-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
});

after(async () => {
  for (const img of built) await removeLayout(img);
  await rm(work, { recursive: true, force: true });
});

test('printable() leaves no line the runner reads as a workflow command, and no `##[` anywhere', () => {
  for (const m of ['::stop-commands::x', '  ::add-mask::x', '##[error]forged']) {
    assert.doesNotMatch(printable(m), /^\s*(::[a-z-]+|##\[)/i, `printable(${JSON.stringify(m)}) is still a workflow command`);
  }
  for (const m of ['platform ##[stop-commands]x: 1 package', 'warning: ##[error]forged']) {
    assert.doesNotMatch(printable(m), /##\[/, `printable(${JSON.stringify(m)}) is still a V1 workflow command`);
  }
});

for (const os of ['::stop-commands::immutagsilenced', '##[stop-commands]immutagsilenced']) {
  test(`a platform named ${JSON.stringify(os)} cannot print a workflow command in the Action log`, async () => {
    const img = await imageWithPlatform(os, { '/hello.txt': `hello ${Date.now()}\n` });
    const r = await runAction({
      username: reg.username, password: reg.password, 'insecure-registries': reg.host, 'vuln-db': vulnDb,
      tags: `${reg.host}/cmd/app:1.0`, image: img.layout, push: 'false', comment: 'never',
    }, { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r', GITHUB_WORKFLOW: 'image' });
    const forged = r.stdout.split('\n').filter((l) => /^\s*::stop-commands::/.test(l) || l.includes('##[stop-commands]'));
    assert.deepEqual(forged, [], 'the runner would stop processing commands (annotations, setFailed error) after this line');
  });
}

for (const flag of ['--json', '--summary']) {
  test(`a platform name cannot print a workflow command on the CLI's stdout (${flag}) in a workflow step`, async () => {
    const img = await imageWithPlatform('##[stop-commands]immutagsilenced', { '/hello.txt': `hello ${flag} ${Date.now()}\n` });
    const r = await runCli(['push', '--image', img.layout, '--no-push', '--insecure-registries', reg.host, '--vuln-db', vulnDb,
      '--username', reg.username, `${reg.host}/cmd/app:1.0`, flag], { GITHUB_ACTIONS: 'true', IMMUTAG_PASSWORD: reg.password });
    const forged = r.stdout.split('\n').filter((l) => l.includes('##[stop-commands]'));
    assert.deepEqual(forged, [], `exit ${r.code}: the runner would stop processing commands after this stdout line`);
  });
}

test('only the real verdict line of the CLI starts with `immutag: RESULT:`', async () => {
  // ansi-html 0.0.7 has GHSA-whgm-jr23-g3j9 (high): the real verdict is a violation.
  const img = await imageWithPlatform('immutag: PASS: deploy registry.example/app@sha256:0000; scan osv (fail-on: high): nothing fails the policy (no findings) #', {
    '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.7"}', '/app/id': `v ${Date.now()}`,
  });
  const r = await runCli(['push', '--image', img.layout, `${reg.host}/verdict/app:1.0`, '--no-push', '--insecure-registries', reg.host,
    '--username', reg.username, '--vuln-db', vulnDb], { IMMUTAG_PASSWORD: reg.password });
  const verdicts = (r.stdout + r.stderr).split('\n').filter((l) => /^immutag: [A-Z]+:/.test(l));
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(verdicts.map((l) => l.slice(0, 22)), ['immutag: VIOLATION: im'], verdicts.join('\n'));
});
