// OSV ecosystem names for OS packages, spelled exactly as OSV spells them
// (https://ossf.github.io/osv-schema/#affectedpackage-field and ecosystems.json in
// ossf/osv-schema): `Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.19`, `Rocky Linux:9`,
// `AlmaLinux:9`, `openSUSE:Leap 15.6`, `SUSE:Linux Enterprise Server 15 SP6`,
// `openEuler:22.03-LTS-SP2`, `Azure Linux:3`, `MinimOS`, `Wolfi`, `Chainguard`,
// `Alpaquita:stream`, `Echo`.
// Azure Linux's records carry the major release only (`Azure Linux:3`, `Azure Linux:2`
// for CBL-Mariner 2.0: the Azure Linux OVAL-to-OSV converter's EVR suffix map, `.azl3`
// → `:3`, `.cm2` → `:2`); `Azure Linux:3.0` would find nothing.
// A distribution OSV has no advisories for (Amazon Linux, Oracle Linux, CentOS,
// Fedora…: not in ecosystems.json) gets the empty ecosystem and a note, so the
// matcher skips it instead of matching it against the wrong distribution.
import type { Ecosystem, PackageType } from './model.ts';
import type { OsRelease } from './os-release.ts';

export interface EcosystemChoice {
  ecosystem: Ecosystem;
  note?: string;
}

const LANGUAGE_ECOSYSTEMS: Partial<Record<PackageType, Ecosystem>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  nuget: 'NuGet',
  composer: 'Packagist',
  gem: 'RubyGems',
  cargo: 'crates.io',
};

export function languageEcosystem(type: PackageType): Ecosystem | undefined {
  return LANGUAGE_ECOSYSTEMS[type];
}

export function osEcosystem(os: OsRelease | undefined): EcosystemChoice {
  if (!os) {
    return { ecosystem: '', note: 'No /etc/os-release or /usr/lib/os-release in the image: OS packages are listed but cannot be matched to advisories.' };
  }
  const { id, versionId } = os.info;
  const pretty = os.info.prettyName ?? `${id} ${versionId}`.trim();
  const named = byId(id, versionId, os.fields);
  if (named) return named;
  // Said as what immutag knows, not as a fact about OSV: a distribution OSV added later
  // would otherwise be called uncovered.
  return { ecosystem: '', note: `immutag knows no OSV ecosystem for ${pretty} (ID=${id}): its OS packages are listed but not matched against advisories.` };
}

function byId(id: string, versionId: string, fields: ReadonlyMap<string, string>): EcosystemChoice | undefined {
  const major = versionId.split('.')[0] ?? '';
  const pretty = fields.get('PRETTY_NAME') ?? '';
  switch (id) {
    case 'debian':
      return major ? { ecosystem: `Debian:${major}` } : debianByCodename(fields.get('VERSION_CODENAME') ?? '');
    case 'ubuntu':
      // OSV: "a mandatory `:LTS` suffix if the release is marked as LTS", which os-release says in VERSION.
      return { ecosystem: `Ubuntu:${versionId}${/\bLTS\b/.test(fields.get('VERSION') ?? '') ? ':LTS' : ''}` };
    case 'alpine':
      return alpine(versionId);
    case 'wolfi':
      return { ecosystem: 'Wolfi' };
    case 'chainguard':
      return { ecosystem: 'Chainguard' };
    case 'minimos':
      // A rolling distribution: VERSION_ID is a build stamp, OSV's records carry no release.
      return { ecosystem: 'MinimOS' };
    case 'alpaquita':
      // BellSoft's apk distribution (ID_LIKE=alpine, its own builds and fixes): OSV keys its
      // records by the release as os-release names it, the `stream` channel or an LTS number
      // (`Alpaquita:stream`, `Alpaquita:23`), never cut at a dot as Alpine's branches are.
      return versionId
        ? { ecosystem: `Alpaquita:${versionId}` }
        : { ecosystem: '', note: 'os-release does not say which Alpaquita Linux release this is (no VERSION_ID): its OS packages are listed but not matched.' };
    case 'echo':
      // Echo's Debian-derived images (ID=echo, as grype's distro map reads it): OSV files its
      // records under a bare `Echo`, by source package, with no release.
      return { ecosystem: 'Echo' };
    case 'azurelinux':
    case 'mariner':
      // CBL-Mariner 2.0 is Azure Linux's earlier name; its advisories are filed under Azure Linux.
      return major ? { ecosystem: `Azure Linux:${major}` } : undefined;
    case 'openEuler':
    case 'openeuler':
      return openEuler(versionId, fields);
    case 'rocky':
      return { ecosystem: `Rocky Linux:${major}` };
    case 'almalinux':
      return { ecosystem: `AlmaLinux:${major}` };
    case 'rhel':
      // OSV scopes Red Hat advisories by product-stream CPE (`Red Hat:enterprise_linux:9::baseos`);
      // the rpm database does not say which repository a package came from.
      return { ecosystem: 'Red Hat', note: 'Red Hat advisories in OSV are scoped by product stream (`Red Hat:<CPE>`), which the rpm database does not record: RHEL packages are reported under `Red Hat` and may match incompletely.' };
    case 'photon':
      return { ecosystem: `Photon OS:${versionId}` };
    case 'mageia':
      return { ecosystem: `Mageia:${versionId}` };
    default:
      return suse(id, pretty, fields.get('ID_LIKE') ?? '');
  }
}

/**
 * OSV files Alpine by release branch (`Alpine:v3.19`). Edge carries the branch it becomes
 * and an alpha stamp, after X.Y.0 since 3.20 (`3.21.0_alpha20240807`) and right after X.Y
 * before (`3.18_alpha20230329`): cut at the dot, the older form named a branch no record
 * carries and matched nothing, without a word.
 */
function alpine(versionId: string): EcosystemChoice {
  const match = /^(\d+\.\d+)(?:\.\d+)?(_alpha\d*)?/.exec(versionId);
  if (!match) return { ecosystem: '', note: `os-release does not say which Alpine release branch this is (VERSION_ID ${versionId || 'missing'}): its OS packages are listed but not matched.` };
  const branch = `v${match[1]}`;
  if (!match[2]) return { ecosystem: `Alpine:${branch}` };
  return { ecosystem: `Alpine:${branch}`, note: `Alpine edge (VERSION_ID ${versionId}): matched against the advisories for Alpine ${branch}, the branch edge becomes.` };
}

/**
 * openEuler files advisories per LTS release and service pack (`openEuler:22.03-LTS-SP2`),
 * which os-release spells in parentheses (`PRETTY_NAME="openEuler 22.03 (LTS-SP2)"`,
 * `VERSION="22.03 (LTS-SP2)"`). Innovation releases (no LTS) are outside its advisories.
 */
function openEuler(versionId: string, fields: ReadonlyMap<string, string>): EcosystemChoice {
  const text = fields.get('VERSION') ?? fields.get('PRETTY_NAME')?.replace(/^openEuler\s+/, '') ?? versionId;
  const match = /^(\d+\.\d+)\s*\(?\s*(LTS(?:[- ]SP\d+)?)?\s*\)?$/.exec(text.trim());
  const release = match?.[1] ?? versionId;
  const lts = match?.[2]?.replace(' ', '-');
  if (release && lts) return { ecosystem: `openEuler:${release}-${lts}` };
  return { ecosystem: '', note: `OSV publishes openEuler advisories for LTS releases only; openEuler ${release || '(no version)'} is not one: its OS packages are listed but not matched.` };
}

// Debian release numbers by codename. Testing and unstable carry no VERSION_ID, only the
// codename of the release the tree becomes (`trixie/sid`), and the security tracker's OSV
// records for that release are filed under its number while it is in testing.
const DEBIAN_RELEASES: Readonly<Record<string, number>> = {
  buster: 10, bullseye: 11, bookworm: 12, trixie: 13, forky: 14, duke: 15,
};

function debianByCodename(codename: string): EcosystemChoice {
  const release = DEBIAN_RELEASES[codename];
  if (release !== undefined) {
    return { ecosystem: `Debian:${release}`, note: `Debian testing or unstable (${codename}, no VERSION_ID): matched against the advisories for Debian ${release}, the release ${codename} becomes.` };
  }
  // A bare `Debian` would match every release's records, a Debian 11-only fix included.
  return { ecosystem: '', note: `os-release does not say which Debian release this is (no VERSION_ID${codename ? `, unknown codename ${codename}` : ''}): OS packages are listed but not matched.` };
}

/**
 * openSUSE and SUSE ecosystems are the PRETTY_NAME with the vendor word moved before
 * the colon (`openSUSE Leap 15.6` → `openSUSE:Leap 15.6`). SLE files most packages
 * under the module that ships them (`SUSE:Linux Enterprise Module for Basesystem 15 SP6`),
 * which the rpm database does not record, hence the note.
 */
function suse(id: string, pretty: string, idLike: string): EcosystemChoice | undefined {
  if (id.startsWith('opensuse') && pretty.startsWith('openSUSE ')) return { ecosystem: `openSUSE:${pretty.slice('openSUSE '.length)}` };
  // SUSE Linux Micro 6 renamed its ID (sle-micro → sl-micro); ID_LIKE says suse throughout.
  const sle = id.startsWith('sle') || idLike.split(/\s+/).includes('suse');
  if (sle && pretty.startsWith('SUSE ')) {
    return {
      ecosystem: `SUSE:${pretty.slice('SUSE '.length)}`,
      note: 'SUSE advisories in OSV are mostly filed per product module (`SUSE:Linux Enterprise Module for Basesystem …`), which the rpm database does not record: SLE packages are reported under the product and may match incompletely.',
    };
  }
  return undefined;
}
