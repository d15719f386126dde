// Package databases a runtime reaches through a symlinked directory. The analysers
// read databases at their literal paths (var/lib/dpkg/status…), but in the container
// /var/lib/dpkg may be a link (or /var/lib may be), and then the database the
// container's package manager sees is wherever the link leads. Links are resolved in
// the final filesystem, so a link from a later layer redirects files from an earlier
// one: every layer is recorded here (in an overlay of its own, for every symlink and
// every file that could be a database), and the question is asked
// once at the end. A database reached through a link and not at a path the analysers
// read is not read: the scan must stop (an Unread), never pass on it.
import { Overlay } from '../overlay.ts';
import type { LayerEntry } from '../layers.ts';
import { resolveSymlink } from '../tar-path.ts';
import { displayPath, type Unread } from './analyzer.ts';

interface DatabaseDirectory {
  dir: string;
  /** Files in it that are (part of) the database; `status.d` is a directory of them. */
  files: readonly string[];
}

/** Where the analysers read package databases (dpkg.ts, apk.ts, rpm.ts). */
const DATABASE_DIRECTORIES: readonly DatabaseDirectory[] = [
  { dir: 'var/lib/dpkg', files: ['status', 'status.d'] },
  { dir: 'lib/apk/db', files: ['installed'] },
  { dir: 'usr/lib/apk/db', files: ['installed'] },
  { dir: 'var/lib/rpm', files: ['Packages', 'Packages.db', 'rpmdb.sqlite'] },
  { dir: 'usr/lib/sysimage/rpm', files: ['Packages', 'Packages.db', 'rpmdb.sqlite'] },
];
const READ_DIRECTORIES = new Set(DATABASE_DIRECTORIES.map((d) => d.dir));
const DATABASE_FILES = new Set(DATABASE_DIRECTORIES.flatMap((d) => d.files));
/** Links followed before a chain is given up as a loop (Linux's MAXSYMLINKS). */
const MAX_HOPS = 40;

type Node = { kind: 'symlink'; target: string } | { kind: 'file' };

export class DatabaseLinks {
  private readonly overlay = new Overlay<Node>();

  /** Sees every entry of every layer, in order (whiteouts and directories included). */
  entry(entry: LayerEntry): void {
    if (this.overlay.applyEntry(entry.path, entry.type === 'directory') || entry.type === 'directory') return;
    // Every link, not only those on a database's path: the place a link leads may be behind another.
    if (entry.type === 'symlink') {
      this.overlay.write(entry.path, { kind: 'symlink', target: entry.linkTarget ?? '' });
    } else if (couldBeDatabase(entry.path)) {
      this.overlay.write(entry.path, { kind: 'file' });
    }
  }

  endLayer(): void {
    this.overlay.endLayer((_lower, upper) => upper);
  }

  /** Databases the final filesystem reaches through a symlink at a path no analyser reads. */
  unread(): Unread[] {
    const found: Unread[] = [];
    for (const { dir, files } of DATABASE_DIRECTORIES) {
      const reached = this.resolve(dir);
      if (reached === undefined || reached.path === dir || READ_DIRECTORIES.has(reached.path)) continue;
      const held = this.databaseFilesIn(reached.path, files);
      if (held.length === 0) continue;
      found.push({
        reason: `${displayPath(dir)} resolves through the symlink ${displayPath(reached.link)} -> ${JSON.stringify(reached.target)} to ${displayPath(reached.path)}, ` +
          `and the package database there (${held.map(displayPath).join(', ')}) was not read`,
        hint: 'Its packages are unknown, so the image cannot pass this scan. Keep the package database at its standard path in the image, or scan with scan: trivy or grype.',
      });
    }
    return found;
  }

  /** Where `path` leads in the final filesystem, and the first link on the way; undefined for a loop. */
  private resolve(path: string): { path: string; link: string; target: string } | undefined {
    let current = path;
    let first: { link: string; target: string } | undefined;
    for (let hops = 0; hops <= MAX_HOPS; hops++) {
      const hop = this.firstLink(current);
      if (hop === undefined) return first ? { path: current, ...first } : { path: current, link: path, target: '' };
      first ??= { link: hop.link, target: hop.target };
      const base = resolveSymlink(hop.link, hop.target);
      if (base === undefined) return undefined;
      const rest = current.slice(hop.link.length);
      current = base === '' ? rest.replace(/^\//, '') : `${base}${rest}`;
    }
    return undefined;
  }

  /** The shortest prefix of `path` that is a symlink in the final filesystem. */
  private firstLink(path: string): { link: string; target: string } | undefined {
    let slash = path.indexOf('/');
    for (;;) {
      const prefix = slash < 0 ? path : path.slice(0, slash);
      const node = this.overlay.get(prefix);
      if (node?.kind === 'symlink') return { link: prefix, target: node.target };
      if (slash < 0) return undefined;
      slash = path.indexOf('/', slash + 1);
    }
  }

  private databaseFilesIn(dir: string, files: readonly string[]): string[] {
    const prefix = `${dir}/`;
    return this.overlay.entries()
      .filter(([path, node]) => node.kind === 'file' && path.startsWith(prefix) && isDatabaseFile(path.slice(prefix.length), files))
      .map(([path]) => path);
  }
}

function couldBeDatabase(path: string): boolean {
  const slash = path.lastIndexOf('/');
  if (DATABASE_FILES.has(path.slice(slash + 1))) return true;
  // dpkg's status.d/<package> (distroless).
  return slash > 0 && path.slice(path.lastIndexOf('/', slash - 1) + 1, slash) === 'status.d';
}

function isDatabaseFile(relative: string, files: readonly string[]): boolean {
  if (files.includes(relative)) return true;
  const slash = relative.indexOf('/');
  return slash > 0 && files.includes(relative.slice(0, slash)) && relative.indexOf('/', slash + 1) < 0;
}
