// Found by a review: apk-tools ends a package entry at any line shorter than two bytes
// (database.c apk_db_fdb_read: `if (l.len < 2) { ... apk_db_pkg_add ... }`), so a
// one-character line such as "x" separates two installed packages. The scanner's
// stanza reader ends an entry only at a blank line and ignores the short line, so the
// next entry's P:/V: overwrite the first: the first installed package vanishes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseApkInstalled } from '../src/scan/inventory/apk.ts';
import { scanOfLayers } from './support/inventory-image.ts';

// mariadb 10.5.15-r0 on Alpine 3.14 is affected by CVE-2022-27449 (fixed 10.5.16-r0).
const INSTALLED = 'P:mariadb\nV:10.5.15-r0\nA:x86_64\no:mariadb\nx\nP:zlib\nV:1.2.12-r1\nA:x86_64\no:zlib\n\n';

describe('review: apk entry ended by a one-byte line', () => {
  it('both packages apk-tools installs are inventoried', () => {
    const analysis = parseApkInstalled(INSTALLED, '/lib/apk/db/installed');
    assert.deepEqual(analysis.packages.map((p) => p.name).sort(), ['mariadb', 'zlib'], JSON.stringify(analysis));
  });

  const alpine = (installed: string) => scanOfLayers([[
    { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.14.8\n' },
    { name: 'lib/apk/db/installed', content: installed },
  ]], 'low');

  it('the vulnerable mariadb fails the policy', async () => {
    const outcome = await alpine(INSTALLED);
    assert.equal(outcome.verdict, 'violation', JSON.stringify(outcome.result.platforms[0]!.packages.map((p) => `${p.name}@${p.version}`)));
  });

  it('control: with a blank separator the same mariadb fails the policy', async () => {
    const outcome = await alpine(INSTALLED.replace('\nx\n', '\n\n'));
    assert.equal(outcome.verdict, 'violation');
  });
});
