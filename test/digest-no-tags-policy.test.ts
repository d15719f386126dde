// Found by a review: `digest` (verify mode) with `tags` that came out empty and a scan policy set
// (`fail-on: high`) passes without scanning anything, while action.yml said of an empty
// `tags` that "the image is still scanned", and the notice said only "there was nothing to
// check". Refusing the run would break recipe 2 (README), whose pull requests give no tags
// and push nothing, and pass with a notice by design; so the run still passes, and the
// notice and the documentation now say that the digest was neither verified nor scanned.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction } from './support/action-runner.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const GHSA = 'GHSA-whgm-jr23-g3j9';

const reg = await useRegistry();
let vulnerable: BuiltImage;
let work: string;
let vulnDb: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'immutag-review-digest-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
  vulnerable = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.7"}' } });
});

after(async () => {
  await removeLayout(vulnerable);
  await rm(work, { recursive: true, force: true });
});

const common = () => ({ 'insecure-registries': reg.host, 'vuln-db': vulnDb, comment: 'never' });

test('verify with a digest and empty tags passes as recipe 2 documents, and its notice says the digest was not scanned', async () => {
  // Another step pushed the (vulnerable) image; here immutag pushes it with fail-on: none.
  const pushed = await runAction({ ...common(), image: vulnerable.layout, tags: `${reg.host}/app:1.0.0`, 'fail-on': 'none' });
  assert.equal(pushed.outputs['result'], 'pass', pushed.stdout + pushed.stderr);
  const digest = pushed.outputs['digest']!;
  // Control: with its tag, verify finds the vulnerability.
  const withTag = await runAction({ ...common(), digest, tags: `${reg.host}/app:1.0.0`, 'fail-on': 'high' });
  assert.equal(withTag.outputs['result'], 'violation', withTag.stdout);
  // The tags came out empty (recipe 2 on a pull request, or a misspelt step id): the run
  // passes, as recipe 2 documents, but the notice must say the digest was not scanned and the
  // policy asked for was not applied, not only that there was "nothing to check".
  const empty = await runAction({ ...common(), digest, tags: '', 'fail-on': 'high' });
  assert.equal(empty.outputs['result'], 'pass');
  const said = empty.stdout.split('\n').filter((l) => l.includes('No tags were given')).join('\n');
  console.log(said);
  assert.match(said, new RegExp(`${digest} was neither verified nor scanned .*no scan policy was applied to it`));
});
