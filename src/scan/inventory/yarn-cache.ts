// npm packages of an app installed by Yarn 2+ with Plug'n'Play, its default: there is no
// node_modules; each package stays in its zip in `.yarn/cache/` (`lodash-npm-4.17.20-….zip`),
// laid out inside as `node_modules/<name>/package.json`. Read as the zips stream past,
// like Java archives; without this, such an app had no npm packages and passed.
// https://yarnpkg.com/features/pnp
import type { Analysis, Analyzer, RawPackage, StreamReader } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { isInstalledManifest, npmAnalyzer, parsePackageJson } from './npm.ts';
import { ZipArchiveReader, type ZipEntryHeader } from './zip-stream.ts';

const CACHE_ZIP = /(^|\/)\.yarn\/cache\/[^/]+\.zip$/;
const MANIFEST_CAP = 1024 * 1024;

export const yarnCacheAnalyzer: Analyzer = {
  name: 'yarn-cache',
  interest() {
    return undefined;
  },
  parse(path, data) {
    const reader = new YarnCacheReader(displayPath(path));
    reader.write(data);
    reader.end();
    return reader.result();
  },
  stream(path) {
    return CACHE_ZIP.test(path) ? new YarnCacheReader(displayPath(path)) : undefined;
  },
  key(pkg) {
    return npmAnalyzer.key(pkg);
  },
};

class YarnCacheReader extends ZipArchiveReader implements StreamReader {
  private readonly packages: RawPackage[] = [];

  result(): Analysis {
    return { packages: this.packages, notes: this.notes };
  }

  protected wants(entry: ZipEntryHeader): number | undefined {
    return entry.name.endsWith('/package.json') && isInstalledManifest(entry.name) ? MANIFEST_CAP : undefined;
  }

  protected entry(entry: ZipEntryHeader, data: Buffer): void {
    const { packages, notes } = parsePackageJson(data, `${this.shown}!/${entry.name}`);
    this.packages.push(...packages);
    this.notes.push(...notes);
  }
}
