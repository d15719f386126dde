// Package URLs for the SBOM when the inventory did not set one.
// https://github.com/package-url/purl-spec/blob/main/PURL-TYPES.rst
import type { OsInfo, Package } from '../model.ts';

function enc(value: string): string {
  return encodeURIComponent(value);
}

function qualifiers(pairs: [string, string | undefined][]): string {
  const set = pairs.filter((p): p is [string, string] => Boolean(p[1])).sort(([a], [b]) => a.localeCompare(b));
  return set.length === 0 ? '' : '?' + set.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

/** The architecture of an OCI platform string (`linux/arm64/v8` → `arm64`). */
function archOf(platform: string | undefined): string | undefined {
  const arch = platform?.split('/')[1];
  return arch && arch !== 'unknown' ? arch : undefined;
}

export function purlFor(pkg: Package, os: OsInfo | undefined, platform?: string): string | undefined {
  if (pkg.purl) return pkg.purl;
  const distro = os ? `${os.id}-${os.versionId}` : undefined;
  const arch = archOf(platform);
  const version = enc(pkg.version);
  switch (pkg.type) {
    case 'deb':
    case 'apk':
    case 'rpm': {
      const namespace = os?.id ?? (pkg.type === 'deb' ? 'debian' : pkg.type === 'apk' ? 'alpine' : 'redhat');
      return `pkg:${pkg.type}/${enc(namespace)}/${enc(pkg.name)}@${version}${qualifiers([['arch', arch], ['distro', distro]])}`;
    }
    case 'npm': {
      const scoped = /^@([^/]+)\/(.+)$/.exec(pkg.name);
      const name = scoped ? `%40${enc(scoped[1]!)}/${enc(scoped[2]!)}` : enc(pkg.name);
      return `pkg:npm/${name}@${version}`;
    }
    case 'pypi':
      return `pkg:pypi/${enc(pkg.name.toLowerCase().replace(/[-_.]+/g, '-'))}@${version}`;
    default:
      return undefined;
  }
}
