// npm packages of an app installed by Yarn 2+ with Plug'n'Play, its default: there is no
// node_modules; each package stays in its zip in `.yarn/cache/` (`lodash-npm-4.17.20-….zip`),
// laid out inside as `node_modules/<name>/package.json`. Read as the zips stream past,
// like Java archives; without this, such an app had no npm packages and passed.
// https://yarnpkg.com/features/pnp
import type { Analysis, Analyzer, RawPackage, StreamReader } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { isInstalledManifest, npmAnalyzer, parsePackageJson } from './npm.ts';
import { ZipStream, type ZipEntryHeader } from './zip-stream.ts';

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

class YarnCacheReader implements StreamReader {
  private readonly zip: ZipStream;
  private readonly packages: RawPackage[] = [];
  private readonly notes: string[] = [];
  private readonly shown: string;

  constructor(shown: string) {
    this.shown = shown;
    this.zip = new ZipStream({
      wants: (entry) => (entry.name.endsWith('/package.json') && isInstalledManifest(entry.name) ? MANIFEST_CAP : undefined),
      entry: (entry, data) => this.entry(entry, data),
      problem: (message) => this.notes.push(`${this.shown}: ${message}.`),
    });
  }

  write(chunk: Buffer): boolean {
    return this.zip.write(chunk);
  }

  end(): void {
    this.zip.end();
  }

  result(): Analysis {
    return { packages: this.packages, notes: this.notes };
  }

  private entry(entry: ZipEntryHeader, data: Buffer): void {
    const { packages, notes } = parsePackageJson(data, `${this.shown}!/${entry.name}`);
    this.packages.push(...packages);
    this.notes.push(...notes);
  }
}
