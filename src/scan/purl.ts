// Package URLs (https://github.com/package-url/purl-spec): the SBOM and the reports
// identify packages by them. Types and qualifiers follow the purl-spec type list:
// deb/apk/rpm carry `arch` and `distro`, rpm carries its epoch as a qualifier,
// npm scopes are the namespace, PyPI names are lowercased with `-`.
import type { RawPackage } from './inventory/analyzer.ts';
import type { OsRelease } from './os-release.ts';

const DEFAULT_NAMESPACE: Record<string, string> = { deb: 'debian', apk: 'alpine' };

export function purlFor(pkg: RawPackage, os: OsRelease | undefined): string {
  switch (pkg.type) {
    case 'npm':
      return build('npm', pkg.namespace, pkg.namespace ? pkg.name.slice(pkg.namespace.length + 1) : pkg.name, pkg.version, {});
    case 'pypi':
      return build('pypi', undefined, pkg.name.toLowerCase().replace(/_/g, '-'), pkg.version, {});
    case 'rpm':
      return build('rpm', os?.info.id, pkg.name, rpmVersion(pkg), {
        arch: pkg.arch,
        epoch: pkg.epoch ? String(pkg.epoch) : undefined,
        distro: distro(os),
      });
    default:
      return build(pkg.type, os?.info.id ?? DEFAULT_NAMESPACE[pkg.type], pkg.name, pkg.version, { arch: pkg.arch, distro: distro(os) });
  }
}

/** purl puts the rpm epoch in a qualifier, so the version is version-release only. */
function rpmVersion(pkg: RawPackage): string {
  const prefix = pkg.epoch ? `${pkg.epoch}:` : '';
  return prefix && pkg.version.startsWith(prefix) ? pkg.version.slice(prefix.length) : pkg.version;
}

function distro(os: OsRelease | undefined): string | undefined {
  if (!os) return undefined;
  return os.info.versionId ? `${os.info.id}-${os.info.versionId}` : os.info.id;
}

function build(type: string, namespace: string | undefined, name: string, version: string, qualifiers: Record<string, string | undefined>): string {
  const path = namespace ? `${encode(namespace)}/${encode(name)}` : encode(name);
  const query = Object.keys(qualifiers)
    .filter((key) => qualifiers[key])
    .sort()
    .map((key) => `${key}=${encode(qualifiers[key]!)}`)
    .join('&');
  return `pkg:${type}/${path}@${encode(version)}${query ? `?${query}` : ''}`;
}

/** Percent-encoding as the purl spec requires; `:` may stay as is (Debian epochs read better). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':');
}
