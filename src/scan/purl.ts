// Package URLs (https://github.com/package-url/purl-spec), the one builder the
// inventory, the SBOM and the reports share. Encoding and per-type normalisation are
// packageurl-js's (the purl project's own JavaScript implementation), so immutag's
// purls are byte-for-byte what other tools built on it write. What this file decides
// is how each package type maps onto the purl parts (PURL-TYPES.rst):
//  - deb/apk/rpm: namespace is the distribution, qualifiers `arch` and `distro`;
//    rpm's epoch goes to the `epoch` qualifier, Debian's stays in the version;
//  - npm: the scope is the namespace; golang: the module path up to its last `/`, the
//    version with Go's `v` (the inventory keeps OSV's spelling without it);
//    maven: `groupId:artifactId`; composer: `vendor/package`;
//  - pypi: the distribution's name as written (`zope.interface`), lowercased with `_`
//    as `-` by the spec; nuget, gem, cargo: the name alone.
import { PackageURL } from 'packageurl-js';
import type { OsInfo, PackageType } from './model.ts';

export interface PurlSubject {
  type: PackageType;
  name: string;
  version: string;
  /** npm only: the `@scope` of a scoped name. */
  namespace?: string;
  arch?: string;
  /** rpm only. */
  epoch?: number;
  /** The name as the package's own metadata writes it, when the inventory normalised `name` (PyPI). */
  purlName?: string;
  /** An already known purl (another engine's) is kept. */
  purl?: string;
}

const DEFAULT_NAMESPACE: Partial<Record<PackageType, string>> = { deb: 'debian', apk: 'alpine', rpm: 'redhat' };

/** The purl of a package; `platform` (`linux/arm64`) supplies `arch` when the package has none. */
export function purlFor(pkg: PurlSubject, os: OsInfo | undefined, platform?: string): string | undefined {
  if (pkg.purl) return pkg.purl;
  const parts = partsOf(pkg, os, pkg.arch ?? archOf(platform));
  if (!parts) return undefined;
  try {
    return new PackageURL(parts.type, parts.namespace, parts.name, parts.version, parts.qualifiers, undefined).toString();
  } catch {
    // packageurl-js refuses what the spec forbids (an empty name); such a package has no purl.
    return undefined;
  }
}

interface Parts {
  type: string;
  namespace?: string;
  name: string;
  version: string;
  qualifiers?: Record<string, string>;
}

function partsOf(pkg: PurlSubject, os: OsInfo | undefined, arch: string | undefined): Parts | undefined {
  const { name, version } = pkg;
  switch (pkg.type) {
    case 'deb':
    case 'apk':
      return { type: pkg.type, namespace: os?.id || DEFAULT_NAMESPACE[pkg.type], name, version, qualifiers: qualifiers({ arch, distro: distro(os) }) };
    case 'rpm':
      return {
        type: 'rpm', namespace: os?.id || DEFAULT_NAMESPACE.rpm, name, version: rpmVersion(pkg),
        qualifiers: qualifiers({ arch, epoch: pkg.epoch ? String(pkg.epoch) : undefined, distro: distro(os) }),
      };
    case 'npm': {
      const scope = pkg.namespace ?? /^(@[^/]+)\//.exec(name)?.[1];
      return scope ? { type: 'npm', namespace: scope, name: name.slice(scope.length + 1), version } : { type: 'npm', name, version };
    }
    case 'pypi':
      return { type: 'pypi', name: pkg.purlName ?? name, version };
    case 'golang':
      // The inventory holds OSV's spelling (`1.2.3`); Go and its purls write modules `v1.2.3`.
      return split('golang', name, '/', name !== 'stdlib' && /^\d/.test(version) ? `v${version}` : version);
    case 'composer':
      return split(pkg.type, name, '/', version);
    case 'maven':
      return split('maven', name, ':', version);
    case 'nuget':
    case 'gem':
    case 'cargo':
      return { type: pkg.type, name, version };
    default:
      return undefined;
  }
}

/** `a/b/c` → namespace `a/b`, name `c` (golang, composer); `g:a` → `g`, `a` (maven). */
function split(type: string, full: string, separator: string, version: string): Parts {
  const at = full.lastIndexOf(separator);
  return at < 0 ? { type, name: full, version } : { type, namespace: full.slice(0, at), name: full.slice(at + 1), version };
}

/** purl puts the rpm epoch in a qualifier, so the version is version-release only. */
function rpmVersion(pkg: PurlSubject): string {
  const prefix = pkg.epoch ? `${pkg.epoch}:` : '';
  return prefix && pkg.version.startsWith(prefix) ? pkg.version.slice(prefix.length) : pkg.version;
}

function distro(os: OsInfo | undefined): string | undefined {
  if (!os?.id) return undefined;
  return os.versionId ? `${os.id}-${os.versionId}` : os.id;
}

/** The architecture of an OCI platform string (`linux/arm64/v8` → `arm64`). */
function archOf(platform: string | undefined): string | undefined {
  const arch = platform?.split('/')[1];
  return arch && arch !== 'unknown' ? arch : undefined;
}

function qualifiers(pairs: Record<string, string | undefined>): Record<string, string> | undefined {
  const set = Object.entries(pairs).filter((pair): pair is [string, string] => Boolean(pair[1]));
  return set.length > 0 ? Object.fromEntries(set) : undefined;
}
