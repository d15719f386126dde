// Found by a review, fixed since: BellSoft Alpaquita Linux (apk-based, ID_LIKE=alpine) is an
// OSV ecosystem: ossf/osv-schema's ecosystems.json (commit 51b8156b69b9e2e9ff2301e649db61636067fcfa)
// lists "Alpaquita": "the `name` is the name of the source package. The ecosystem string has
// a `:<RELEASE>` suffix … `<RELEASE>` is the id of the particular Alpaquita Linux release.
// Examples: `Alpaquita:23`, `Alpaquita:stream`." os-ecosystem.ts's own rule is that only a
// distribution "not in ecosystems.json" gets the empty ecosystem; Alpaquita fell through to
// it, and the note told the user "OSV publishes no advisories for BellSoft Alpaquita Linux …",
// which was false: every vulnerable apk package of an Alpaquita image (and of the Liberica
// JDK images built on it) was listed and never asked about, and the scan passed. ID=alpaquita
// now names `Alpaquita:<VERSION_ID>`, ordered as apk versions offline. os-release as the
// bellsoft/alpaquita-linux-base images carry it (ID=alpaquita, ID_LIKE=alpine, VERSION_ID=stream
// or the LTS release 23). Echo (ID=echo, Debian-derived, `Echo` in ecosystems.json) was
// unmapped the same way and is checked here too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Package } from '../src/scan/model.ts';
import { osEcosystem } from '../src/scan/os-ecosystem.ts';
import { parseOsRelease } from '../src/scan/os-release.ts';
import { matchPackages } from '../src/scan/osv/match.ts';

describe('Alpaquita Linux is matched against OSV\'s Alpaquita records', () => {
  const cases: Array<[string, string]> = [
    ['NAME="BellSoft Alpaquita Linux"\nID=alpaquita\nID_LIKE=alpine\nVERSION_ID=stream\nPRETTY_NAME="BellSoft Alpaquita Linux Stream (musl)"\n', 'Alpaquita:stream'],
    ['NAME="BellSoft Alpaquita Linux"\nID=alpaquita\nID_LIKE=alpine\nVERSION_ID=23\nPRETTY_NAME="BellSoft Alpaquita Linux Stream 23 (musl)"\n', 'Alpaquita:23'],
  ];
  for (const [text, ecosystem] of cases) {
    it(`${text.split('\n')[4]} → ${ecosystem}`, () => {
      const choice = osEcosystem(parseOsRelease(text));
      assert.equal(choice.ecosystem, ecosystem, `note: ${choice.note}`);
    });
  }
});

it('Echo (ID=echo) names the bare Echo ecosystem', () => {
  const choice = osEcosystem(parseOsRelease('PRETTY_NAME="Echo"\nNAME="Echo"\nID=echo\nID_LIKE=debian\n'));
  assert.deepEqual(choice, { ecosystem: 'Echo' });
});

describe('offline (vuln-db), Alpaquita records are keyed by release and ordered as apk versions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'immutag-alpaquita-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const record = (id: string, release: string, fixed: string) => ({
    id, modified: '2026-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: `Alpaquita:${release}`, name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
  });
  writeFileSync(join(dir, 'BELL-CVE-STREAM.json'), JSON.stringify(record('BELL-CVE-STREAM', 'stream', '3.3.2-r1')));
  writeFileSync(join(dir, 'BELL-CVE-23.json'), JSON.stringify(record('BELL-CVE-23', '23', '3.0.15-r0')));
  const openssl = (ecosystem: string, version: string): Package => ({
    type: 'apk', name: 'libcrypto3', version, sourceName: 'openssl', sourceVersion: version,
    ecosystem, path: '/lib/apk/db/installed', layer: `sha256:${'0'.repeat(64)}`,
  });

  it('a stream package below the stream fix meets the stream record only', async () => {
    const { matches } = await matchPackages([openssl('Alpaquita:stream', '3.3.2_rc1-r0')], { vulnDb: dir });
    assert.deepEqual(matches.map((m) => [m.record.id, m.fixed]), [['BELL-CVE-STREAM', '3.3.2-r1']]);
  });

  it('a package at the fix of its release meets nothing', async () => {
    const { matches } = await matchPackages([openssl('Alpaquita:23', '3.0.15-r0'), openssl('Alpaquita:stream', '3.3.2-r1')], { vulnDb: dir });
    assert.deepEqual(matches.map((m) => m.record.id), []);
  });
});
