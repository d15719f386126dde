// Found by a review, fixed since: a BusyBox-only image (docker.io/library/busybox: /bin/busybox
// and its applet links, /etc/passwd and /etc/group, no /etc/os-release, no package database)
// scanned as "0 packages, no vulnerabilities" and the report said nothing: no note that the OS
// could not be identified, none that no package list was found. osEcosystem had the sentence
// for the missing os-release ("No /etc/os-release or /usr/lib/os-release in the image: …") but
// it was emitted only per OS package, so an image with none never got it. BusyBox itself
// (1.36.1 in busybox:1.36, with its own CVEs) is in no database and is never asked about; the
// user is now told, in one line per image, that no OS was identified and only language
// packages were checked. A FROM scratch image with a static binary gets the same line, which
// is true of it too; the verdict is unchanged (a note, not a failure).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { NO_OS_NOTE } from '../src/scan/inventory.ts';
import { inventoryOfLayers, scanOfLayers } from './support/inventory-image.ts';

const BUSYBOX = [
  { name: 'bin/', type: 'directory' as const },
  { name: 'bin/busybox', content: Buffer.concat([Buffer.from('\u007fELF\u0002\u0001\u0001'), Buffer.alloc(64), Buffer.from('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\u0000')]) },
  { name: 'bin/sh', type: 'link' as const, linkname: 'bin/busybox' },
  { name: 'bin/ls', type: 'link' as const, linkname: 'bin/busybox' },
  { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' },
  { name: 'etc/group', content: 'root:x:0:\nnobody:x:65534:\n' },
];

it('an image with no os-release and no package database is not reported as clean without a word', async () => {
  const inventory = await inventoryOfLayers(BUSYBOX);
  assert.equal(inventory.os, undefined);
  assert.equal(inventory.packages.length, 0);
  assert.ok(inventory.notes.length > 0, 'a note says the OS was not identified / no package list was found');
});

it('the scan report carries that note', async () => {
  const outcome = await scanOfLayers([BUSYBOX], 'low');
  const notes = outcome.result.platforms.flatMap((p) => p.notes);
  assert.ok(notes.length > 0, `verdict ${outcome.verdict}, notes ${JSON.stringify(notes)}`);
});

it('BusyBox alone: exactly one line, and the verdict is unchanged', async () => {
  const outcome = await scanOfLayers([BUSYBOX], 'low');
  assert.equal(outcome.verdict, 'pass');
  assert.deepEqual(outcome.result.platforms.flatMap((p) => p.notes), [NO_OS_NOTE]);
  assert.match(NO_OS_NOTE, /^No OS identified \(no os-release\) and no dpkg, apk or rpm package found: only language packages were checked/);
});

it('FROM scratch with an app and its language packages: the same line, true of it too', async () => {
  const inventory = await inventoryOfLayers([
    { name: 'app/package.json', content: JSON.stringify({ name: 'app', version: '1.0.0' }) },
    { name: 'app/node_modules/minimist/package.json', content: JSON.stringify({ name: 'minimist', version: '1.2.8' }) },
  ]);
  assert.deepEqual(inventory.packages.map((p) => p.name), ['minimist']);
  assert.deepEqual(inventory.notes, [NO_OS_NOTE]);
});

it('an image with an os-release and OS packages gets no line about its OS', async () => {
  const inventory = await inventoryOfLayers([
    { name: 'etc/os-release', content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n' },
    { name: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.5-r0\no:musl\n\n' },
  ]);
  assert.deepEqual(inventory.packages.map((p) => [p.name, p.ecosystem]), [['musl', 'Alpine:v3.20']]);
  assert.deepEqual(inventory.notes, []);
});
