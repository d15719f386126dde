// Which version ordering an OSV ecosystem uses. Ecosystem names as OSV spells them:
// https://ossf.github.io/osv-schema/#defined-ecosystems

import { compareApk } from './apk.ts';
import { compareDpkg } from './dpkg.ts';
import { compareMaven } from './maven.ts';
import { compareNuGet } from './nuget.ts';
import { comparePackagist } from './packagist.ts';
import { comparePep440 } from './pep440.ts';
import { compareRpm } from './rpm.ts';
import { compareRubyGems } from './rubygems.ts';
import { compareSemver } from './semver.ts';

/** Negative, zero or positive as `a` sorts before, equal to or after `b`. Never throws. */
export type Comparator = (a: string, b: string) => number;

export { compareApk, compareDpkg, compareMaven, compareNuGet, comparePackagist, comparePep440, compareRpm, compareRubyGems, compareSemver };

// Keyed by the ecosystem's base name (the part before the first ':').
const BY_ECOSYSTEM: Record<string, Comparator> = {
  Debian: compareDpkg,
  Ubuntu: compareDpkg,
  Echo: compareDpkg,
  Alpine: compareApk,
  Wolfi: compareApk,
  Chainguard: compareApk,
  'Red Hat': compareRpm,
  'Rocky Linux': compareRpm,
  AlmaLinux: compareRpm,
  openSUSE: compareRpm,
  SUSE: compareRpm,
  Mageia: compareRpm,
  openEuler: compareRpm,
  'Azure Linux': compareRpm,
  'Photon OS': compareRpm,
  MinimOS: compareApk,
  Alpaquita: compareApk,
  npm: compareSemver,
  'crates.io': compareSemver,
  Hex: compareSemver,
  Go: compareSemver,
  PyPI: comparePep440,
  Maven: compareMaven,
  RubyGems: compareRubyGems,
  NuGet: compareNuGet,
  Packagist: comparePackagist,
};

/** The comparator for an OSV ecosystem (`Debian:12`, `npm`…), or undefined when immutag has none. */
export function comparatorFor(ecosystem: string): Comparator | undefined {
  const colon = ecosystem.indexOf(':');
  const base = colon < 0 ? ecosystem : ecosystem.slice(0, colon);
  return BY_ECOSYSTEM[base];
}
