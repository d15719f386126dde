// Found by a review, fixed since: Alpine edge's os-release carries the next release and an
// alpha stamp in VERSION_ID. Since 3.20 the stamp follows a full X.Y.0 (`3.21.0_alpha20240807`,
// mapped to Alpine:v3.21, scan-os-release.test.ts); edge images up to 3.18 wrote it right after
// X.Y: `VERSION_ID=3.18_alpha20230329` (abcdesktopio's oc.template.alpine.edge images,
// `PRETTY_NAME="Alpine Linux edge"`; `3.10_alpha20190228`, `3.14.0_alpha20210212` elsewhere).
// That one became the ecosystem `Alpine:v3.18_alpha20230329`, which no OSV record carries
// (osv-schema: "`:v<RELEASE-NUMBER>` … E.g. `v3.16`"), with no note: every apk package of such
// an image was asked about under an ecosystem that matched nothing, and the scan passed. Both
// forms now name the branch (`Alpine:v3.18`) with one note that this is edge, in os-ecosystem.ts
// and in the offline vuln-db's ecosystem key alike.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { osEcosystem } from '../src/scan/os-ecosystem.ts';
import { parseOsRelease } from '../src/scan/os-release.ts';
import { ecosystemKey, ecosystemMatches } from '../src/scan/osv/ecosystem.ts';

it('an Alpine edge os-release of the X.Y_alpha form names the release branch (or says it is not matched)', () => {
  const choice = osEcosystem(parseOsRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.18_alpha20230329\nPRETTY_NAME="Alpine Linux edge"\nHOME_URL="https://alpinelinux.org/"\n'));
  assert.ok(/^Alpine:v\d+\.\d+$/.test(choice.ecosystem) || (choice.ecosystem === '' && choice.note !== undefined),
    `ecosystem ${JSON.stringify(choice.ecosystem)}, note ${JSON.stringify(choice.note)}`);
});

it('the X.Y_alpha form names the branch it becomes, and says it is edge', () => {
  const choice = osEcosystem(parseOsRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.18_alpha20230329\nPRETTY_NAME="Alpine Linux edge"\n'));
  assert.equal(choice.ecosystem, 'Alpine:v3.18');
  assert.match(choice.note ?? '', /^Alpine edge \(VERSION_ID 3\.18_alpha20230329\): matched against the advisories for Alpine v3\.18/);
  assert.equal(osEcosystem(parseOsRelease('ID=alpine\nVERSION_ID=3.14.0_alpha20210212\n')).ecosystem, 'Alpine:v3.14');
  assert.deepEqual(osEcosystem(parseOsRelease('ID=alpine\nVERSION_ID=3.19.1\n')), { ecosystem: 'Alpine:v3.19' });
});

it('offline, an edge stamp keys as its branch and meets the branch\'s records', () => {
  assert.equal(ecosystemKey('Alpine:v3.18_alpha20230329'), 'Alpine:v3.18');
  assert.equal(ecosystemKey('Alpine:v3.10_alpha20190228'), 'Alpine:v3.10');
  assert.equal(ecosystemKey('Alpine:v3.19.1'), 'Alpine:v3.19');
  assert.ok(ecosystemMatches('Alpine:v3.18', 'Alpine:v3.18_alpha20230329'));
  assert.ok(!ecosystemMatches('Alpine:v3.17', 'Alpine:v3.18_alpha20230329'));
});
