// Language files a distribution package installed are left to the distribution's
// advisories: Debian's python3-idna 3.3-1+deb12u1 carries Debian's fix for
// CVE-2024-3651, so PyPI's GHSA-jjg7-2v4v-x38h (idna < 3.7) must not fail the image,
// while the same files without dpkg's file list (a pip install) do match.
// Real data: dpkg's own .list files (python3-idna written by `dpkg --unpack` of the
// bookworm .deb, python3-cryptography from the development machine), the metadata
// those packages ship, the real GHSA record, rpm databases from scan-rpm-formats.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { openImage } from '../src/image/open-image.ts';
import { apkAnalyzer, parseApkInstalled } from '../src/scan/inventory/apk.ts';
import { dpkgAnalyzer, dpkgFileListAnalyzer, parseDpkgFileList } from '../src/scan/inventory/dpkg.ts';
import { buildQueries } from '../src/scan/osv/match.ts';
import { cycloneDxSbom } from '../src/report/files/cyclonedx.ts';
import { scanImage, type ScanOutcome } from '../src/scan/scan.ts';
import { buildIndex, removeLayout, type BuiltImage, type LayerSpec } from './support/images.ts';

const fixture = (path: string): Buffer => readFileSync(new URL(`./fixtures/inventory/${path}`, import.meta.url));
const GHSA = fileURLToPath(new URL('./fixtures/osv/records/PyPI/GHSA-jjg7-2v4v-x38h.json', import.meta.url));
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n';
const SLES = 'NAME="SLES"\nVERSION="15-SP5"\nVERSION_ID="15.5"\nPRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"\nID="sles"\nID_LIKE="suse"\n';
const SITE = '/usr/lib/python3/dist-packages';
const IDNA = `${SITE}/idna-3.3.egg-info/PKG-INFO`;
const CRYPTOGRAPHY = `${SITE}/cryptography-38.0.4.dist-info/METADATA`;

describe('file lists', () => {
  it("dpkg: every path of a package's .list, owned by the package (without :arch)", () => {
    const text = fixture('owned/python3-idna.list').toString('utf8');
    const { owned, packages } = parseDpkgFileList(text, 'python3-idna');
    assert.deepEqual(packages, []);
    assert.equal(owned?.by, 'deb');
    const lines = text.trimEnd().split('\n').filter((line) => line !== '/.');
    assert.deepEqual([...owned.files.keys()].sort(), lines.sort());
    assert.equal(owned.files.get(IDNA), 'python3-idna');
    assert.equal(parseDpkgFileList('/.\n/usr/lib/x.so\n', 'libc6:amd64').owned?.files.get('/usr/lib/x.so'), 'libc6');
  });

  const interest: Array<[string, string | undefined]> = [
    ['var/lib/dpkg/info/python3-idna.list', 'read'],
    ['var/lib/dpkg/info/libssl3:amd64.list', 'read'],
    ['var/lib/dpkg/info/python3-idna.md5sums', 'read'],
    ['var/lib/dpkg/info/python3-idna.conffiles', undefined],
    ['var/lib/dpkg/info/.list', undefined],
    ['var/lib/dpkg/info/sub/x.list', undefined],
    ['var/lib/dpkg/status.d/base-files.list', undefined],
  ];
  for (const [path, wanted] of interest) {
    it(`dpkg reads ${path}: ${wanted ?? 'no'}`, () => {
      assert.equal(dpkgFileListAnalyzer.interest(path), wanted);
      assert.equal(dpkgFileListAnalyzer.packageDatabase, undefined, 'a list that cannot be read is a note, not an error');
      assert.equal(dpkgAnalyzer.interest(path), undefined);
    });
  }

  it('apk: every F: directory / R: file of the real Alpine 3.14 database, owned by its P: package', () => {
    const text = fixture('apk/installed').toString('utf8');
    const { owned } = parseApkInstalled(text, 'shown');
    // The same lines read independently: a stanza's F: sets the directory its R: lines are in.
    const expected = new Map<string, string>();
    for (const stanza of text.split('\n\n')) {
      let name = '';
      let dir = '';
      const files: string[] = [];
      for (const line of stanza.split('\n')) {
        if (line.startsWith('P:')) name = line.slice(2);
        if (line.startsWith('F:')) dir = line.slice(2);
        if (line.startsWith('R:')) files.push(`/${dir}/${line.slice(2)}`.replace('//', '/'));
      }
      for (const file of files) expected.set(file, name);
    }
    assert.equal(owned?.by, 'apk');
    assert.equal(owned.files.size, 292);
    assert.deepEqual(new Map([...owned.files].sort()), new Map([...expected].sort()));
    assert.equal(owned.files.get('/bin/busybox'), 'busybox');
    assert.equal(apkAnalyzer.interest('lib/apk/db/installed'), 'read');
  });
});

describe('a Debian image whose Python packages dpkg installed', () => {
  let owned: BuiltImage;
  let unowned: BuiltImage;
  let rpmImage: BuiltImage;
  let vulnDb: string;
  const python: LayerSpec = {
    '/etc/os-release': DEBIAN,
    [IDNA]: fixture('owned/idna-3.3.egg-info.PKG-INFO'),
    [CRYPTOGRAPHY]: fixture('owned/cryptography-38.0.4.dist-info.METADATA'),
  };

  before(async () => {
    vulnDb = await mkdtemp(join(tmpdir(), 'immutag-owned-'));
    await mkdir(join(vulnDb, 'PyPI'));
    await copyFile(GHSA, join(vulnDb, 'PyPI', 'GHSA-jjg7-2v4v-x38h.json'));
    owned = await buildIndex({ arches: ['amd64'], files: {
      ...python,
      '/var/lib/dpkg/info/python3-idna.list': fixture('owned/python3-idna.list'),
      '/var/lib/dpkg/info/python3-cryptography.list': fixture('owned/python3-cryptography.list'),
    } });
    unowned = await buildIndex({ arches: ['amd64'], files: python });
    rpmImage = await buildIndex({ arches: ['amd64'], files: {
      '/etc/os-release': SLES,
      '/usr/lib/sysimage/rpm/Packages.db': gunzipSync(fixture('rpm/rpm-4.18-ndb.Packages.db.gz')),
      '/usr/lib/python3.6/site-packages/idna-2.5-py3.6.egg-info/PKG-INFO': fixture('rpm/make/python3-idna.PKG-INFO'),
    } });
  });

  after(async () => {
    for (const image of [owned, unowned, rpmImage]) if (image) await removeLayout(image);
    if (vulnDb) await rm(vulnDb, { recursive: true, force: true });
  });

  async function scan(image: BuiltImage): Promise<ScanOutcome> {
    const local = await openImage(image.layout, { names: [image.tag] });
    try {
      return await scanImage({ source: local.source, top: local.top, manifests: local.manifests, engine: 'osv', policy: { failOn: 'low', ignoreUnfixed: false }, vulnDb });
    } finally {
      await local.close();
    }
  }

  it("passes: PyPI's idna advisory is left to Debian, and the report says so once", async () => {
    const out = await scan(owned);
    const [platform] = out.result.platforms;
    assert.deepEqual(platform?.findings, []);
    assert.equal(out.verdict, 'pass');
    assert.deepEqual(platform?.packages.map((p) => [p.name, p.version, p.ecosystem, p.ownedBy]).sort(), [
      ['cryptography', '38.0.4', 'PyPI', { type: 'deb', name: 'python3-cryptography' }],
      ['idna', '3.3', 'PyPI', { type: 'deb', name: 'python3-idna' }],
    ]);
    // The SBOM keeps them, saying which distribution package installed them.
    const sbom = JSON.stringify(cycloneDxSbom(out.report));
    assert.match(sbom, /"name":"immutag:package:owned-by","value":"deb:python3-idna"/);
    const notes = platform?.notes.filter((n) => /left to/.test(n));
    assert.deepEqual(notes, ["2 language packages are left to Debian GNU/Linux 12 (bookworm)'s advisories and not matched against upstream ones (2 installed by dpkg: cryptography (python3-cryptography), idna (python3-idna))."]);
  });

  it('fails on the same files without the dpkg lists (a pip install): GHSA-jjg7-2v4v-x38h matches idna 3.3', async () => {
    const out = await scan(unowned);
    const [platform] = out.result.platforms;
    assert.deepEqual(platform?.findings.map((f) => [f.id, f.package.name, f.installed, f.fixed, f.severity]), [['GHSA-jjg7-2v4v-x38h', 'idna', '3.3', '3.7', 'medium']]);
    assert.equal(out.verdict, 'violation');
    assert.ok(platform?.packages.every((p) => p.ownedBy === undefined));
    assert.ok(!platform?.notes.some((n) => /left to/.test(n)));
  });

  it('rpm file lists count too: SLES python3-idna owns idna 2.5 (NDB database)', async () => {
    const out = await scan(rpmImage);
    const [platform] = out.result.platforms;
    const idna = platform?.packages.find((p) => p.type === 'pypi');
    assert.deepEqual([idna?.name, idna?.version, idna?.ownedBy], ['idna', '2.5', { type: 'rpm', name: 'python3-idna' }]);
    assert.equal(platform?.packages.filter((p) => p.type === 'rpm').length, 31);
    assert.deepEqual(platform?.findings.filter((f) => f.package.type === 'pypi'), []);
    assert.ok(platform?.notes.some((n) => /1 installed by rpm: idna \(python3-idna\)/.test(n)));
  });

  it('only the file itself, or its .dist-info/.egg-info directory, counts: not a shared parent like dist-packages', async () => {
    // A pip-installed single-file egg-info and a copied-in file next to Debian's: dist-packages
    // is in python3-idna's list, but that does not make everything in it Debian's.
    const image = await buildIndex({ arches: ['amd64'], files: {
      '/etc/os-release': DEBIAN,
      '/var/lib/dpkg/info/python3-idna.list': fixture('owned/python3-idna.list'),
      [IDNA]: fixture('owned/idna-3.3.egg-info.PKG-INFO'),
      [`${SITE}/idna-2.5.egg-info`]: fixture('rpm/make/python3-idna.PKG-INFO'),
    } });
    try {
      const out = await scan(image);
      const packages = out.result.platforms[0]?.packages ?? [];
      assert.deepEqual(packages.map((p) => [p.path, p.ownedBy?.name ?? null]).sort(), [
        [`${SITE}/idna-2.5.egg-info`, null],
        [IDNA, 'python3-idna'],
      ]);
      assert.deepEqual(out.result.platforms[0]?.findings.map((f) => [f.id, f.installed]), [['GHSA-jjg7-2v4v-x38h', '2.5']]);
    } finally {
      await removeLayout(image);
    }
  });

  it('the matcher never asks about an owned package', () => {
    const base = { type: 'pypi' as const, name: 'idna', version: '3.3', ecosystem: 'PyPI', path: IDNA, layer: 'sha256:0' };
    assert.equal(buildQueries([{ ...base, ownedBy: { type: 'deb', name: 'python3-idna' } }]).length, 0);
    assert.equal(buildQueries([base]).length, 1);
  });
});
