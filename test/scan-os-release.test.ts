// OS identification and the OSV ecosystem names derived from it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { osEcosystem } from '../src/scan/os-ecosystem.ts';
import { findOsRelease, type OsReleaseNode, parseFields, parseOsRelease } from '../src/scan/os-release.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/inventory/os-release/${name}`, import.meta.url), 'utf8');

describe('os-release files of real distributions', () => {
  const cases: Array<{ file: string; id: string; versionId: string; ecosystem: string; noted: boolean }> = [
    { file: 'debian-12', id: 'debian', versionId: '12', ecosystem: 'Debian:12', noted: false },
    { file: 'ubuntu-22.04', id: 'ubuntu', versionId: '22.04', ecosystem: 'Ubuntu:22.04:LTS', noted: false },
    { file: 'ubuntu-24.10', id: 'ubuntu', versionId: '24.10', ecosystem: 'Ubuntu:24.10', noted: false },
    { file: 'alpine-3.14', id: 'alpine', versionId: '3.14.0', ecosystem: 'Alpine:v3.14', noted: false },
    { file: 'rocky-9.5', id: 'rocky', versionId: '9.5', ecosystem: 'Rocky Linux:9', noted: false },
    { file: 'opensuse-leap-15.6', id: 'opensuse-leap', versionId: '15.6', ecosystem: 'openSUSE:Leap 15.6', noted: false },
  ];
  for (const { file, id, versionId, ecosystem, noted } of cases) {
    it(`${file} → ${ecosystem}`, () => {
      const release = parseOsRelease(fixture(file));
      assert.ok(release);
      assert.equal(release.info.id, id);
      assert.equal(release.info.versionId, versionId);
      const choice = osEcosystem(release);
      assert.equal(choice.ecosystem, ecosystem);
      assert.equal(choice.note !== undefined, noted);
    });
  }

  it('keeps the pretty name and codename', () => {
    assert.deepEqual(parseOsRelease(fixture('debian-12'))?.info, {
      id: 'debian',
      versionId: '12',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      versionCodename: 'bookworm',
    });
  });
});

describe('ecosystem names for other releases', () => {
  const cases: Array<{ osRelease: string; ecosystem: string; note?: RegExp }> = [
    { osRelease: 'ID=alpine\nVERSION_ID=3.19.1', ecosystem: 'Alpine:v3.19' },
    // Edge: the branch it becomes, said once (scan-alpine-edge-old-version.test.ts has the older X.Y_alpha form).
    { osRelease: 'ID=alpine\nVERSION_ID=3.21.0_alpha20240807', ecosystem: 'Alpine:v3.21', note: /^Alpine edge \(VERSION_ID 3\.21\.0_alpha20240807\): matched against the advisories for Alpine v3\.21/ },
    { osRelease: 'ID=ubuntu\nVERSION_ID="24.04"\nVERSION="24.04.1 LTS (Noble Numbat)"', ecosystem: 'Ubuntu:24.04:LTS' },
    // Testing and unstable have no VERSION_ID: the codename names the release the tree becomes
    // (the real trixie/sid os-release). A bare "Debian" would match every release's records.
    { osRelease: 'PRETTY_NAME="Debian GNU/Linux trixie/sid"\nNAME="Debian GNU/Linux"\nVERSION_CODENAME=trixie\nID=debian', ecosystem: 'Debian:13', note: /testing or unstable/ },
    { osRelease: 'PRETTY_NAME="Debian GNU/Linux forky/sid"\nVERSION_CODENAME=forky\nID=debian', ecosystem: 'Debian:14', note: /testing or unstable/ },
    { osRelease: 'ID=debian\nPRETTY_NAME="Debian GNU/Linux"', ecosystem: '', note: /which Debian release/ },
    { osRelease: 'ID=debian\nVERSION_CODENAME=plucky', ecosystem: '', note: /which Debian release/ },
    { osRelease: 'ID="almalinux"\nVERSION_ID="9.4"', ecosystem: 'AlmaLinux:9' },
    { osRelease: 'ID=wolfi\nVERSION_ID=20230201', ecosystem: 'Wolfi' },
    { osRelease: 'ID="opensuse-tumbleweed"\nVERSION_ID="20240801"\nPRETTY_NAME="openSUSE Tumbleweed"', ecosystem: 'openSUSE:Tumbleweed' },
    { osRelease: 'ID="sles"\nVERSION_ID="15.5"\nPRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"', ecosystem: 'SUSE:Linux Enterprise Server 15 SP5', note: /module/ },
    // SUSE Linux Micro 6 renamed its ID (sle-micro → sl-micro); ID_LIKE still says suse.
    { osRelease: 'NAME="SL-Micro"\nID="sl-micro"\nID_LIKE="suse"\nVERSION_ID="6.0"\nPRETTY_NAME="SUSE Linux Micro 6.0"', ecosystem: 'SUSE:Linux Micro 6.0', note: /module/ },
    { osRelease: 'ID="rhel"\nVERSION_ID="9.4"\nPRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"', ecosystem: 'Red Hat', note: /product stream/ },
    { osRelease: 'ID=fedora\nVERSION_ID=40\nPRETTY_NAME="Fedora Linux 40 (Container Image)"', ecosystem: '', note: /Fedora Linux 40/ },
    // The distributions issue 11 names; ecosystem strings from ossf/osv-schema's ecosystems.json,
    // release suffixes as the records carry them (Azure Linux: major only, `.cm2` → `:2`).
    { osRelease: 'ID=mariner\nVERSION_ID="2.0"', ecosystem: 'Azure Linux:2' },
    { osRelease: 'NAME="Microsoft Azure Linux"\nVERSION="3.0.20240824"\nID=azurelinux\nVERSION_ID="3.0"\nPRETTY_NAME="Microsoft Azure Linux 3.0"', ecosystem: 'Azure Linux:3' },
    { osRelease: 'NAME="openEuler"\nVERSION="22.03 (LTS-SP2)"\nID="openEuler"\nVERSION_ID="22.03"\nPRETTY_NAME="openEuler 22.03 (LTS-SP2)"\nANSI_COLOR="0;31"', ecosystem: 'openEuler:22.03-LTS-SP2' },
    { osRelease: 'NAME="openEuler"\nVERSION="24.03 (LTS)"\nID="openEuler"\nVERSION_ID="24.03"\nPRETTY_NAME="openEuler 24.03 (LTS)"', ecosystem: 'openEuler:24.03-LTS' },
    { osRelease: 'NAME="openEuler"\nVERSION="22.03 LTS"\nID="openEuler"\nVERSION_ID="22.03"\nPRETTY_NAME="openEuler 22.03 LTS"', ecosystem: 'openEuler:22.03-LTS' },
    { osRelease: 'NAME="openEuler"\nVERSION="25.03"\nID="openEuler"\nVERSION_ID="25.03"\nPRETTY_NAME="openEuler 25.03"', ecosystem: '', note: /LTS releases only; openEuler 25\.03/ },
    { osRelease: 'ID=minimos\nNAME="MinimOS"\nPRETTY_NAME="MinimOS"\nVERSION_ID="20241031"', ecosystem: 'MinimOS' },
    { osRelease: 'ID=chainguard\nNAME="Chainguard"\nVERSION_ID="20230214"', ecosystem: 'Chainguard' },
    // Not in OSV's ecosystems.json: listed, never matched against another distribution, said so once.
    { osRelease: 'NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nID_LIKE="centos rhel fedora"\nVERSION_ID="2"\nPRETTY_NAME="Amazon Linux 2"', ecosystem: '', note: /^immutag knows no OSV ecosystem for Amazon Linux 2 \(ID=amzn\)/ },
    { osRelease: 'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nVERSION_ID="2023"\nPRETTY_NAME="Amazon Linux 2023.5.20240805"', ecosystem: '', note: /no OSV ecosystem for Amazon Linux 2023/ },
    { osRelease: 'NAME="Oracle Linux Server"\nVERSION="9.4"\nID="ol"\nVERSION_ID="9.4"\nPRETTY_NAME="Oracle Linux Server 9.4"', ecosystem: '', note: /no OSV ecosystem for Oracle Linux Server 9\.4 \(ID=ol\)/ },
    { osRelease: 'NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nVERSION_ID="7"\nPRETTY_NAME="CentOS Linux 7 (Core)"', ecosystem: '', note: /no OSV ecosystem for CentOS Linux 7/ },
  ];
  for (const { osRelease, ecosystem, note } of cases) {
    it(`${osRelease.split('\n')[0]} → ${ecosystem || '(none)'}`, () => {
      const choice = osEcosystem(parseOsRelease(osRelease));
      assert.equal(choice.ecosystem, ecosystem);
      if (note) assert.match(choice.note ?? '', note);
      else assert.equal(choice.note, undefined);
    });
  }

  it('says so when the image has no os-release at all', () => {
    const choice = osEcosystem(undefined);
    assert.equal(choice.ecosystem, '');
    assert.match(choice.note ?? '', /No \/etc\/os-release/);
  });
});

describe('os-release syntax', () => {
  it('reads quoted, escaped and commented lines as os-release(5) describes', () => {
    const fields = parseFields([
      '# comment',
      'NAME="Example \\"Quoted\\" \\$HOME \\\\ Linux"',
      "VERSION='1.0 (single)'",
      'ID=example',
      '  ID_LIKE="debian"  ',
      'not a field',
      'lower=case-is-ignored',
      'EMPTY=',
    ].join('\n'));
    assert.deepEqual(Object.fromEntries(fields), {
      NAME: 'Example "Quoted" $HOME \\ Linux',
      VERSION: '1.0 (single)',
      ID: 'example',
      ID_LIKE: 'debian',
      EMPTY: '',
    });
  });

  it('identifies nothing from a file without ID', () => {
    assert.equal(parseOsRelease('NAME="Nameless"\nVERSION_ID=1\n'), undefined);
    assert.equal(parseOsRelease('\u0000\u0001binary'), undefined);
  });
});

describe('finding os-release in the image', () => {
  const debian = Buffer.from(fixture('debian-12'));
  const alpine = Buffer.from(fixture('alpine-3.14'));
  const lookup = (nodes: Record<string, OsReleaseNode>) => (path: string) => nodes[path];

  const cases: Array<{ name: string; nodes: Record<string, OsReleaseNode>; expected?: { id: string; path: string } }> = [
    {
      name: 'follows Debian\'s relative link etc/os-release -> ../usr/lib/os-release',
      nodes: { 'etc/os-release': { kind: 'symlink', target: '../usr/lib/os-release' }, 'usr/lib/os-release': { kind: 'file', data: debian } },
      expected: { id: 'debian', path: 'usr/lib/os-release' },
    },
    {
      name: 'follows an absolute link inside the image, never the host',
      nodes: { 'etc/os-release': { kind: 'symlink', target: '/usr/lib/os-release' }, 'usr/lib/os-release': { kind: 'file', data: alpine } },
      expected: { id: 'alpine', path: 'usr/lib/os-release' },
    },
    {
      name: 'prefers etc/os-release when both are files',
      nodes: { 'etc/os-release': { kind: 'file', data: alpine }, 'usr/lib/os-release': { kind: 'file', data: debian } },
      expected: { id: 'alpine', path: 'etc/os-release' },
    },
    {
      name: 'falls back to usr/lib/os-release when etc/os-release is missing',
      nodes: { 'usr/lib/os-release': { kind: 'file', data: debian } },
      expected: { id: 'debian', path: 'usr/lib/os-release' },
    },
    {
      name: 'falls back when the link points at a file that is not in the image',
      nodes: { 'etc/os-release': { kind: 'symlink', target: '../../../../host/os-release' }, 'usr/lib/os-release': { kind: 'file', data: debian } },
      expected: { id: 'debian', path: 'usr/lib/os-release' },
    },
    {
      name: 'stops on a link loop',
      nodes: { 'etc/os-release': { kind: 'symlink', target: '../usr/lib/os-release' }, 'usr/lib/os-release': { kind: 'symlink', target: '/etc/os-release' } },
    },
    {
      name: '`..` past the root stays at the root, as inside the container',
      nodes: { 'etc/os-release': { kind: 'symlink', target: '../../../../usr/lib/os-release' }, 'usr/lib/os-release': { kind: 'file', data: alpine } },
      expected: { id: 'alpine', path: 'usr/lib/os-release' },
    },
  ];
  for (const { name, nodes, expected } of cases) {
    it(name, () => {
      const found = findOsRelease(lookup(nodes));
      assert.deepEqual(found.release ? { id: found.release.info.id, path: found.path } : undefined, expected);
    });
  }
});

describe('every OS ecosystem immutag names has a version ordering', () => {
  // Offline, a record whose ranges cannot be ordered is dropped: an OS named here without
  // a comparator would have every advisory skipped.
  const releases: Array<[string, string, string]> = [
    ['debian', '12', ''], ['ubuntu', '22.04', ''], ['alpine', '3.19.1', ''], ['wolfi', '20230201', ''], ['chainguard', '20230214', ''],
    ['minimos', '20240101', ''], ['azurelinux', '3.0', ''], ['mariner', '2.0', ''], ['openeuler', '22.03', 'VERSION="22.03 (LTS-SP2)"'],
    ['rocky', '9.5', ''], ['almalinux', '9.5', ''], ['rhel', '9.5', ''], ['photon', '5.0', ''], ['mageia', '9', ''],
    ['opensuse-leap', '15.6', 'PRETTY_NAME="openSUSE Leap 15.6"'], ['sles', '15.6', 'PRETTY_NAME="SUSE Linux Enterprise Server 15 SP6"'],
  ];
  for (const [id, versionId, extra] of releases) {
    it(`${id} ${versionId}`, async () => {
      const { comparatorFor } = await import('../src/scan/version/index.ts');
      const release = parseOsRelease(`ID=${id}\nVERSION_ID="${versionId}"\n${extra}\n`);
      const { ecosystem } = osEcosystem(release);
      assert.notEqual(ecosystem, '', `${id} names an ecosystem`);
      assert.ok(comparatorFor(ecosystem), `${ecosystem} has a version ordering`);
    });
  }

  it('Azure Linux, Photon OS (rpm) and MinimOS (apk) ranges are evaluated, not dropped', async () => {
    const { evaluateAffected } = await import('../src/scan/osv/ranges.ts');
    const { comparatorFor } = await import('../src/scan/version/index.ts');
    const range = (fixed: string) => ({ ranges: [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }, { fixed }] }] });
    assert.deepEqual(evaluateAffected(range('3.3.3-1.azl3'), '3.3.2-1.azl3', comparatorFor('Azure Linux:3')), { verdict: 'affected', fixed: '3.3.3-1.azl3' });
    assert.deepEqual(evaluateAffected(range('3.0.15-2.ph5'), '3.0.15-1.ph5', comparatorFor('Photon OS:5.0')), { verdict: 'affected', fixed: '3.0.15-2.ph5' });
    assert.deepEqual(evaluateAffected(range('3.3.2-r1'), '3.3.2-r0', comparatorFor('MinimOS')), { verdict: 'affected', fixed: '3.3.2-r1' });
  });
});
