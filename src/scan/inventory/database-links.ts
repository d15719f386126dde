// Package databases a runtime reaches through a symlinked directory. The analysers
// read databases at their literal paths (var/lib/dpkg/status…), but in the container
// /var/lib/dpkg may be a link (or /var/lib may be), and then the database the
// container's package manager sees is wherever the link leads. Links are resolved in
// the final filesystem, so a link from a later layer redirects files from an earlier
// one: every layer is recorded here (in an overlay of its own, for every symlink and
// every file that could be a database), and the question is asked
// once at the end. The content of such files is kept (within a bound) so that a
// database a link reaches is analysed as if it stood at its standard path; one that
// could not be kept (too large) is not read, and the scan must stop (an Unread).
import { ImmutagError } from '../../errors.ts';
import { quoted } from '../../quoted.ts';
import { Overlay } from '../overlay.ts';
import { type LayerEntry, UNBUILT_LAYER_HINT } from '../layers.ts';
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
  { dir: 'var/lib/rpm', files: ['Packages', 'Packages.db', 'rpmdb.sqlite', 'rpmdb.sqlite-wal'] },
  { dir: 'usr/lib/sysimage/rpm', files: ['Packages', 'Packages.db', 'rpmdb.sqlite', 'rpmdb.sqlite-wal'] },
  { dir: 'usr/share/rpm', files: ['Packages', 'Packages.db', 'rpmdb.sqlite', 'rpmdb.sqlite-wal'] },
];
const DATABASE_FILES = new Set(DATABASE_DIRECTORIES.flatMap((d) => d.files));
/** Links followed before a chain is given up as a loop (Linux's MAXSYMLINKS). */
const MAX_HOPS = 40;

/** Content kept for files that may turn out to be a linked database, across the image. */
const KEPT_LIMIT = 256 * 1024 * 1024;

type Node = { kind: 'symlink'; target: string } | { kind: 'file'; layer: string; data?: Buffer; why?: string };

/** A database file the final filesystem reaches through a link: where the container sees it, where it is. */
export interface LinkedFile {
  /** The standard path (var/lib/dpkg/status) the container's package manager reads. */
  standard: string;
  /** The path the file has in the layers. */
  path: string;
  layer: string;
  data?: Buffer;
  /** Why `data` is missing. */
  why?: string;
}

export class DatabaseLinks {
  private readonly overlay = new Overlay<Node>();
  private kept = 0;
  /** Every path a symlink was ever written at: where to look, so a deep name costs its length, not depth × length. */
  private readonly linkPaths = new LinkPaths();
  /**
   * The last parent directory found with no symlink on its path. Archives list a
   * directory's members together, so most entries skip the walk; only a new symlink
   * can put one on that path, and each resets it.
   */
  private clearParent: string | undefined;
  /** Database files a lower-layer link led to when a later layer wrote below it, by that link (see enterParentsOf). */
  private readonly disputed = new Map<string, string>();

  /**
   * Sees every entry of every layer, in order (whiteouts and directories included).
   * True when this is a file that could be a database: its content is wanted (`file`).
   */
  entry(entry: LayerEntry, layer: string): boolean {
    if (entry.type === 'hardlink' && entry.linkTarget) this.checkLinkTarget(entry.path, entry.linkTarget, layer);
    if (this.overlay.applyEntry(entry.path, entry.type === 'directory') || entry.type === 'directory') return false;
    // Every link, not only those on a database's path: the place a link leads may be behind another.
    const target = entry.type === 'symlink' ? entry.linkTarget ?? '' : this.hardLinkedSymlink(entry);
    if (target !== undefined) {
      this.clearParent = undefined;
      this.linkPaths.add(entry.path);
      this.overlay.write(entry.path, { kind: 'symlink', target });
      return false;
    }
    if (!couldBeDatabase(entry.path)) return false;
    const node: Node = { kind: 'file', layer };
    this.overlay.write(entry.path, node);
    if (entry.type !== 'file') {
      node.why = `it is not a regular file (${entry.type})`;
      return false;
    }
    if (this.kept + entry.size > KEPT_LIMIT) {
      node.why = 'the scanner keeps at most 256 MiB of files that may be a package database outside the standard paths';
      return false;
    }
    this.kept += entry.size;
    return true;
  }

  /**
   * Places a member below its parents as runtimes do, before the entry is applied, and
   * returns the lower-layer symlinks among them that it turns into directories.
   * Runtimes resolve a member's parents inside the root they unpack into. A link the
   * same layer wrote is followed, so the member lands elsewhere than its name says; no
   * builder writes that, and the layer is refused. A lower layer's link is not in the
   * layer's own upper directory: containerd's and moby's overlay snapshotters create a
   * real directory there, which hides the link in the merged view; naive appliers
   * (vfs, umoci) write through it instead. Where the link is on a package database's
   * path the two disagree on which database the container has, and the scan stops. A
   * build never writes such a layer: writes inside a build go through the link.
   */
  enterParentsOf(path: string, layer: string): string[] {
    const last = path.lastIndexOf('/');
    if (last < 0) return [];
    const directory = path.slice(0, last);
    if (directory === this.clearParent) return [];
    const found: string[] = [];
    for (const parent of this.linkPaths.prefixesOf(directory)) {
      if (this.overlay.writtenInLayer(parent)?.kind === 'symlink') throw writtenThroughLink(layer, path, parent);
      if (this.overlay.get(parent)?.kind !== 'symlink') continue;
      const database = this.databaseThrough(parent);
      if (database !== undefined) this.disputed.set(parent, database);
      this.overlay.applyEntry(parent, true);
      found.push(parent);
    }
    this.clearParent = directory;
    return found;
  }

  /**
   * link(2) does not follow a symlink at its old path: a hard link to a symlink the layer
   * wrote is a second name for that symlink (GNU tar, bsdtar, umoci and containerd alike).
   */
  private hardLinkedSymlink(entry: LayerEntry): string | undefined {
    if (entry.type !== 'hardlink' || entry.linkTarget === undefined) return undefined;
    const node = this.overlay.writtenInLayer(entry.linkTarget);
    return node?.kind === 'symlink' ? node.target : undefined;
  }

  /** A hard link names its target by path too: one through a link its own layer made is refused, as a member is. */
  private checkLinkTarget(path: string, target: string, layer: string): void {
    const last = target.lastIndexOf('/');
    if (last < 0) return;
    for (const parent of this.linkPaths.prefixesOf(target.slice(0, last))) {
      if (this.overlay.writtenInLayer(parent)?.kind === 'symlink') throw writtenThroughLink(layer, path, parent, target);
    }
  }

  /** Why the package databases below disputed links are not known (see enterParentsOf). */
  disputedUnread(): Unread[] {
    return [...this.disputed].map(([link, database]) => ({
      reason: `the package database ${quoted(displayPath(database))} is reached through ${quoted(displayPath(link))}, a symlink from a lower layer that a later layer writes below: overlay snapshotters make the link a directory without it, other unpackers write through the link and keep it, so whether the container has it depends on the runtime`,
      hint: UNBUILT_LAYER_HINT,
    }));
  }

  /**
   * A package database file a naive unpacker would still reach through the lower link at
   * `link`: one of the standard database paths at or below it, followed through links as
   * the layers so far leave them. Undefined when there is none, and then both kinds of
   * runtime see the same thing below the link (only what the later layers write).
   */
  private databaseThrough(link: string): string | undefined {
    for (const { dir, files } of DATABASE_DIRECTORIES) {
      if (dir !== link && !dir.startsWith(`${link}/`)) continue;
      const reached = this.resolve(dir);
      if (reached === undefined) continue;
      for (const { path } of this.databaseFiles(reached, files)) return path;
    }
    return undefined;
  }

  /** The database files `files` names in the directory `reached`, as the layers so far leave them. */
  private *databaseFiles(reached: string, files: readonly string[]): Generator<{ path: string; relative: string; node: Node & { kind: 'file' } }> {
    const prefix = `${reached}/`;
    for (const [path, node] of this.overlay.entries()) {
      if (node.kind !== 'file' || !path.startsWith(prefix)) continue;
      const relative = path.slice(prefix.length);
      if (isDatabaseFile(relative, files)) yield { path, relative, node };
    }
  }

  file(entry: LayerEntry, data: Buffer): void {
    const node = this.overlay.writtenInLayer(entry.path);
    if (node?.kind === 'file') node.data = data;
  }

  oversized(entry: LayerEntry, limit: number): void {
    const node = this.overlay.writtenInLayer(entry.path);
    if (node?.kind === 'file') node.why = `it is over the ${limit}-byte per-file limit`;
  }

  endLayer(): void {
    this.clearParent = undefined;
    this.overlay.endLayer((_lower, upper) => upper);
  }

  /**
   * Database files the final filesystem reaches through a symlink, at a path no analyser
   * reads. Each standard path is resolved as a whole, so a link at the database's
   * directory, above it, at the file itself or at dpkg's status.d, or a chain of them,
   * leads where the container's package manager opens it. Only files with a database's
   * name were recorded (entry): a link that renames the last step reaches a file, or a
   * status.d directory, this walk did not keep, and then the scan stops (`unread`).
   */
  reached(): { files: LinkedFile[]; unread: Unread[] } {
    const files: LinkedFile[] = [];
    const unread: Unread[] = [];
    for (const { dir, files: names } of DATABASE_DIRECTORIES) {
      for (const name of names) {
        const standard = `${dir}/${name}`;
        const target = this.resolve(standard);
        // A loop opens nothing, for the package manager too; a path an analyser reads is read there.
        if (target === undefined || target === standard || isStandardPath(target)) continue;
        if (name === STATUS_DIRECTORY) this.reachedStatusFiles(standard, target, files, unread);
        else this.reachedFile(standard, target, files, unread);
      }
    }
    return { files, unread };
  }

  private reachedFile(standard: string, target: string, files: LinkedFile[], unread: Unread[]): void {
    const node = this.overlay.get(target);
    if (node?.kind === 'file') {
      files.push(linkedFile(standard, target, node));
      return;
    }
    // Absent where a database's name would have been recorded: there is none. A link at the
    // standard path itself is reported by the walk ("not followed").
    if (node !== undefined || couldBeDatabase(target) || this.overlay.get(standard)?.kind === 'symlink') return;
    unread.push(notKept(standard, target));
  }

  /** dpkg's status.d/<package> files below the directory `target` that `standard` (…/status.d) leads to. */
  private reachedStatusFiles(standard: string, target: string, files: LinkedFile[], unread: Unread[]): void {
    if (target.slice(target.lastIndexOf('/') + 1) !== STATUS_DIRECTORY) {
      // Its members were not recorded (their parent has another name), so what it holds is unknown.
      unread.push(notKept(standard, target));
      return;
    }
    const prefix = `${target}/`;
    for (const [path, node] of this.overlay.entries()) {
      if (!path.startsWith(prefix) || path.indexOf('/', prefix.length) >= 0) continue;
      const member = `${standard}/${path.slice(prefix.length)}`;
      if (node.kind === 'file') files.push(linkedFile(member, path, node));
      else this.reachedFile(member, this.resolve(path) ?? path, files, unread);
    }
  }

  /** Why a linked database file was not read: the scan stops. */
  static unread(file: LinkedFile): Unread {
    return {
      reason: `${displayPath(file.standard)} is reached through a symlink at ${displayPath(file.path)}, which was not read (${file.why})`,
      hint: 'Its packages are unknown, so the image cannot pass this scan. Keep the package database at its standard path in the image, or scan with scan: trivy or grype.',
    };
  }

  /** The symlink or kept file at `path` in the final filesystem, as far as this walk recorded it. */
  node(path: string): { kind: string; data?: Buffer; target?: string } | undefined {
    return this.overlay.get(path);
  }

  /** Where `path` leads in the final filesystem; undefined for a loop or an impossible target. */
  resolve(path: string): string | undefined {
    let current = path;
    for (let hops = 0; hops <= MAX_HOPS; hops++) {
      const hop = this.firstLink(current);
      if (hop === undefined) return current;
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
}

function writtenThroughLink(layer: string, path: string, link: string, target?: string): ImmutagError {
  const what = target === undefined
    ? `writes a file below a symlink the same layer made (${quoted(displayPath(path))} below ${quoted(displayPath(link))})`
    : `hard-links a file to a path below a symlink the same layer made (${quoted(displayPath(path))} to ${quoted(displayPath(target))}, below ${quoted(displayPath(link))})`;
  return new ImmutagError('IMAGE_INVALID', `Layer ${layer} ${what}; a runtime follows the link, so the file is another than the scan would read, and nothing from the layer was scanned`, {
    hint: UNBUILT_LAYER_HINT,
  });
}


interface LinkPathNode {
  children: Map<string, LinkPathNode>;
  link: boolean;
}

/** A trie of path segments: which prefixes of a path were ever written as a symlink (the overlay says whether one still is). */
class LinkPaths {
  private readonly root: LinkPathNode = { children: new Map(), link: false };

  add(path: string): void {
    let node = this.root;
    for (const segment of path.split('/')) {
      let child = node.children.get(segment);
      if (child === undefined) {
        child = { children: new Map(), link: false };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.link = true;
  }

  /** The prefixes of `directory`, itself included, that were written as a symlink, shortest first. */
  *prefixesOf(directory: string): Generator<string> {
    let node = this.root;
    let start = 0;
    for (;;) {
      const slash = directory.indexOf('/', start);
      const end = slash < 0 ? directory.length : slash;
      const child = node.children.get(directory.slice(start, end));
      if (child === undefined) return;
      if (child.link) yield directory.slice(0, end);
      if (slash < 0) return;
      node = child;
      start = slash + 1;
    }
  }
}

const STATUS_DIRECTORY = 'status.d';

function linkedFile(standard: string, path: string, node: Node & { kind: 'file' }): LinkedFile {
  const file: LinkedFile = { standard, path, layer: node.layer };
  if (node.data) file.data = node.data;
  else file.why = node.why ?? 'its content was not kept';
  return file;
}

function notKept(standard: string, target: string): Unread {
  return {
    reason: `${displayPath(standard)} leads through a symlink to ${displayPath(target)}, whose content was not kept (only files named as a package database are)`,
    hint: 'Its packages are unknown, so the image cannot pass this scan. Keep the package database at its standard path in the image, or scan with scan: trivy or grype.',
  };
}

/** A path an analyser reads where it is (dpkg's status, status.d/<package>, apk's installed, rpm's files). */
function isStandardPath(path: string): boolean {
  return DATABASE_DIRECTORIES.some(({ dir, files }) => path.startsWith(`${dir}/`) && isDatabaseFile(path.slice(dir.length + 1), files));
}

function couldBeDatabase(path: string): boolean {
  const slash = path.lastIndexOf('/');
  if (DATABASE_FILES.has(path.slice(slash + 1))) return true;
  // Not a database, but kept the same way: /etc/os-release may lead, through links, to a
  // file of that name elsewhere (NixOS: /etc/static/os-release, then /nix/store/…-etc-os-release).
  if (path.endsWith('os-release')) return true;
  // dpkg's status.d/<package> (distroless).
  return slash > 0 && path.slice(path.lastIndexOf('/', slash - 1) + 1, slash) === STATUS_DIRECTORY;
}

function isDatabaseFile(relative: string, files: readonly string[]): boolean {
  if (files.includes(relative)) return true;
  const slash = relative.indexOf('/');
  return slash > 0 && files.includes(relative.slice(0, slash)) && relative.indexOf('/', slash + 1) < 0;
}
