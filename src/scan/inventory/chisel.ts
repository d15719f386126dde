// Chiselled Ubuntu images (Chisel 1.0+) record their packages in /var/lib/chisel/manifest.wall,
// a zstd-compressed "jsonwall" naming binary packages only; OSV files Ubuntu advisories by
// source package, which the manifest does not give. The built-in scanner does not read it,
// and such an image has no other package list: its packages are unknown, so finding the
// manifest with no dpkg database beside it stops the scan (../inventory.ts). Images built
// with Canonical's chisel-wrapper (the .NET chiselled images) also carry a dpkg status
// file, which is read as usual.
// https://documentation.ubuntu.com/chisel/en/latest/reference/manifest/
import type { Analyzer, Unread } from './analyzer.ts';
import { displayPath } from './analyzer.ts';

export const CHISEL_MANIFEST = 'var/lib/chisel/manifest.wall';

export const chiselManifestAnalyzer: Analyzer = {
  name: 'chisel',
  interest(path) {
    return path === CHISEL_MANIFEST ? 'presence' : undefined;
  },
  parse() {
    return { packages: [], notes: [] };
  },
  key(pkg) {
    return pkg.name;
  },
};

export const CHISEL_UNREAD: Unread = {
  reason: `${displayPath(CHISEL_MANIFEST)}: a chiselled Ubuntu image whose only package list is Chisel's manifest, which the built-in scanner does not read: its packages are unknown`,
  hint: 'Build the image with chisel-wrapper, which writes a dpkg status file that the scan reads (as the .NET chiselled images do), or scan it with a scanner that reads Chisel manifests.',
};
