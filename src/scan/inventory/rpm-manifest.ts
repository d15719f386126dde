// The package list of Azure Linux and CBL-Mariner distroless images, which carry no rpm
// database: var/lib/rpmmanifest/container-manifest-2, `rpm -qa` written at build time
// with one package a line in ten tab-separated columns: NAME, VERSION-RELEASE,
// INSTALLTIME, BUILDTIME, VENDOR, EPOCH (`(none)` when unset), SIZE, ARCH, EPOCHNUM, SOURCERPM. Without it such
// an image had no packages, nothing unread and no note, and passed. It is the package
// database there, so a line that cannot be read stops the scan. Where an rpm database is
// present too (the non-distroless images), the database is the list (../inventory.ts).
// Format: Microsoft's .NET docs on scanning distroless images; Trivy and Syft read it too.
import type { Analysis, Analyzer, RawPackage } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { rpmPackage } from './rpm.ts';

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
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line === '') continue;
    const c = line.split('\t');
    const epoch = c[5] === '(none)' ? undefined : Number(c[5]);
    const readable = c.length === COLUMNS && c[0] !== '' && /^[^-]+-[^-]+$/.test(c[1] ?? '') && (epoch === undefined || (Number.isInteger(epoch) && epoch >= 0));
    if (!readable) {
      return {
        packages: [], notes: [],
        unread: { reason: `${shown}: line ${i + 1} is not rpm -qa output of ${COLUMNS} tab-separated columns`, hint: 'The image\'s package list is damaged, so its packages are unknown; rebuild the image.' },
      };
    }
    if (c[0] === PUBKEY) continue;
    const arch = c[7] === '(none)' ? undefined : c[7];
    const source = c[9] === '(none)' ? undefined : c[9];
    packages.push(rpmPackage(c[0]!, c[1]!, epoch, arch, source));
  }
  return { packages, notes: [] };
}
