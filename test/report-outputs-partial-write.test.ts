// Found by a review, fixed since: when one report file could not be written (here the
// sbom path is a directory), writeReports threw at the first failure and the run kept
// no paths at all, so the `report` and `sarif` outputs were empty though both files were
// on disk in full. README calls these outputs "the paths written", and recipe 1 uploads
// the SARIF file with `if: always() && steps.immutag.outputs.sarif != ''`: the upload
// was skipped for a file that existed. Every file is now attempted, the outputs name
// exactly the files written, and the failure still fails the run, naming the file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction } from './support/action-runner.ts';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const GHSA = 'GHSA-whgm-jr23-g3j9';

const reg = await useRegistry();
let image: BuiltImage;
let work: string;
let vulnDb: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'review-action-files-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
  image = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.8"}', '/app/id': `files ${Date.now()}` } });
});

after(async () => {
  await removeLayout(image);
  await rm(work, { recursive: true, force: true });
});

test('sbom cannot be written: the report and sarif files that were written are still named by their outputs', async () => {
  const report = join(work, 'out', 'report.json');
  const sarif = join(work, 'out', 'scan.sarif');
  const sbom = join(work, 'out', 'sbom-is-a-directory');
  await mkdir(sbom, { recursive: true });
  const r = await runAction({
    tags: `${reg.host}/files/app:1.0`, image: image.layout, 'insecure-registries': reg.host, 'vuln-db': vulnDb,
    comment: 'never', report, sarif, sbom, 'tag-settle-seconds': '0.5',
  });
  assert.equal(r.outputs['result'], 'error', r.stdout);
  // Both files are on disk, complete.
  assert.ok(JSON.parse(await readFile(report, 'utf8')));
  assert.ok(JSON.parse(await readFile(sarif, 'utf8')));
  assert.equal(r.outputs['sarif'], sarif, `the SARIF file was written; outputs: ${JSON.stringify(r.outputs)}`);
  assert.equal(r.outputs['report'], report);
  assert.equal(r.outputs['sbom'], undefined, 'the sbom was not written');
  // The failure still fails the run, and says which file and why.
  assert.equal(r.code, 1, r.stdout);
  assert.ok(r.stdout.includes(`cannot write the sbom file ${sbom}: EISDIR`), r.stdout);
  assert.ok(r.summary.includes('cannot write the sbom file'), r.summary);
  await assert.rejects(inspectDigest(reg, 'files/app:1.0'), 'nothing is pushed after a report file failed');
});
