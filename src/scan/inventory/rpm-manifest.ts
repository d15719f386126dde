// The package list of Azure Linux and CBL-Mariner distroless images, which carry no rpm
// database: var/lib/rpmmanifest/container-manifest-2, `rpm -qa` written at build time
// with one package a line in ten tab-separated columns: NAME, VERSION-RELEASE,
// INSTALLTIME, BUILDTIME, VENDOR, EPOCH, SIZE, ARCH, EPOCHNUM, SOURCERPM. Without it such
// an image had no packages, nothing unread and no note, and passed. It is the package
// database there, so a line that cannot be read stops the scan. Where an rpm database is
// present too (the non-distroless images), the database is the list (../inventory.ts).
// Format: Microsoft's .NET docs on scanning distroless images; Trivy and Syft read it too.
import type { Analysis, Analyzer, RawPackage } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { parseSourceRpm } from './rpm.ts';

export const RPM_MANIFEST = 'var/lib/rpmmanifest/container-manifest-2';
const COLUMNS = 10;
const PUBKEY = 'gpg-pubkey';

export const rpmManifestAnalyzer: Analyzer = {
  name: 'rpm-manifest',
  packageDatabase: true,
  interest(path) {
    return path === RPM_MANIFEST ? 'read' : undefined;
  },
  parse(path, data) {
    return parseRpmManifest(data.toString('utf8'), displayPath(path));
  },
  key(pkg) {
    return `${pkg.name}.${pkg.arch ?? ''}`;
  },
};

export function parseRpmManifest(text: string, shown: string): Analysis {
  const packages: RawPackage[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    if (line === '') continue;
    const c = line.split('\t');
    const epoch = Number(c[8]);
    if (c.length !== COLUMNS || c[0] === '' || !/^[^-]+-[^-]+$/.test(c[1] ?? '') || !Number.isInteger(epoch) || epoch < 0) {
      return {
        packages: [], notes: [],
        unread: { reason: `${shown}: line ${i + 1} is not rpm -qa output of ${COLUMNS} tab-separated columns`, hint: 'The image\'s package list is damaged, so its packages are unknown; rebuild the image.' },
      };
    }
    if (c[0] === PUBKEY) continue;
    packages.push(toPackage(c as [string, string, ...string[]], epoch));
  }
  return { packages, notes: [] };
}

/** As rpm.ts makes a package from a header: `[epoch:]version-release`, epoch 0 the same as none. */
function toPackage(c: [string, string, ...string[]], epoch: number): RawPackage {
  const epochPrefix = epoch > 0 ? `${epoch}:` : '';
  const pkg: RawPackage = { type: 'rpm', name: c[0], version: `${epochPrefix}${c[1]}` };
  if (epoch > 0) pkg.epoch = epoch;
  if (c[7] && c[7] !== '(none)') pkg.arch = c[7];
  const source = parseSourceRpm(c[9]);
  if (source) {
    pkg.sourceName = source.name;
    pkg.sourceVersion = `${epochPrefix}${source.version}`;
  }
  return pkg;
}
