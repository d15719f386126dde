// Found by a review: a platform name comes straight from the image index
// (descriptor.platform.os / architecture, written by whoever built the image) and reached
// the pull-request comment and the job summary unescaped when that platform had no
// packages (scanVerdict -> noPackagesFound): a live link, an image from the attacker's
// host and an @mention. It is now a code span, as platform names are everywhere else.
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
import { startGitHubStandIn, WRITE_TOKEN } from './support/github-server.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const GHSA = 'GHSA-whgm-jr23-g3j9';
const reg = await useRegistry({ auth: 'htpasswd' });
let img: BuiltImage;
let work: string;
let vulnDb: string;

const EVIL_ARCH = 'amd64 @octocat [click me](https://evil.example/phish) ![](https://evil.example/pixel.png)';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'rev-inj-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
  // An image with no package at all, wrapped in an index whose platform the builder chose.
  img = await buildImage({ files: { '/hello.txt': `hello ${Date.now()}\n` } });
  const entry = await entryFor(img.layout, img.tag);
  const index = await writeBlob(img.layout, 'application/vnd.oci.image.index.v1+json', JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: entry.mediaType, digest: entry.digest, size: entry.size, platform: { os: 'linux', architecture: EVIL_ARCH } }],
  }));
  await writeIndex(img.layout, { schemaVersion: 2, manifests: [{ ...index, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] });
});

after(async () => {
  await removeLayout(img);
  await rm(work, { recursive: true, force: true });
});

test('a platform name from the image index cannot inject a link, an image or a mention into the PR comment', async () => {
  const github = await startGitHubStandIn();
  try {
    const env = {
      GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: fixture('github/pull_request.opened.json'),
      GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      GITHUB_WORKFLOW: 'image', GITHUB_RUN_ID: '4711', GITHUB_SERVER_URL: 'https://github.com',
    };
    const r = await runAction({
      username: reg.username, password: reg.password, 'insecure-registries': reg.host, 'vuln-db': vulnDb,
      tags: `${reg.host}/inj/app:1.0`, image: img.layout, comment: 'auto', 'github-token': WRITE_TOKEN, push: 'false',
    }, env);
    const comments = github.comments('Codertocat', 'Hello-World', 2);
    assert.equal(comments.length, 1, r.stdout + r.stderr);
    const body = comments[0]!.body;
    const line = body.split('\n').find((l) => l.includes('no packages found on')) ?? '';
    console.log(line);
    for (const [where, text] of [['the comment', body], ['the job summary', r.summary]] as const) {
      // Outside code spans (where Markdown renders), nothing from the platform name remains.
      const rendered = text.replace(/`[^`\n]*`/g, '');
      assert.doesNotMatch(rendered, /\]\(https:\/\/evil/, `${where}: a link or an image from the image renders`);
      assert.doesNotMatch(rendered, /@octocat/, `${where}: an @mention from the image pings a user`);
    }
    assert.match(line, /no packages found on `linux\/amd64 @octocat/);
  } finally {
    await github.close();
  }
});
