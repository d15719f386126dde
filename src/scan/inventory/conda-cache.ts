// conda's package cache: every package conda downloaded, unpacked under
// `<root>/pkgs/<name>-<version>-<build>/` with its `info/index.json`, kept until
// `conda clean`. Environments get hard links (or copies) of those files; Python and
// Node load from an environment only, never from the cache, which after `conda update`
// also holds the builds the environment no longer has. So a language package inside a
// cached package's directory is not installed. The index.json is what makes a `pkgs`
// directory conda's: an app's own directory of that name is read as usual.
// https://docs.conda.io/projects/conda/en/stable/user-guide/concepts/package-cache.html
import type { Analyzer } from './analyzer.ts';

const INDEX = /(^|\/)pkgs\/[^/]+\/info\/index\.json$/;
const PACKAGE_DIR = /(^|\/)pkgs\/[^/]+\//g;

export const condaCacheAnalyzer: Analyzer = {
  name: 'conda-cache',
  interest(path) {
    return INDEX.test(path) ? 'presence' : undefined;
  },
  parse() {
    return { packages: [], notes: [] };
  },
  key(pkg) {
    return pkg.name;
  },
};

/**
 * The cached package's directory (`opt/conda/pkgs/idna-3.4-pyhd8ed1ab_0/`) that a walk
 * path is in, among `dirs` (those with an index.json); undefined when it is in none.
 */
export function cachedPackageDir(path: string, dirs: ReadonlySet<string>): string | undefined {
  for (const match of path.matchAll(PACKAGE_DIR)) {
    const dir = path.slice(0, match.index + match[0].length);
    if (dirs.has(dir)) return dir;
  }
  return undefined;
}

/** The cache (`/opt/conda/pkgs`) of a cached package's directory, for the report. */
export function cacheOf(dir: string): string {
  return `/${dir.slice(0, dir.slice(0, -1).lastIndexOf('/'))}`;
}
