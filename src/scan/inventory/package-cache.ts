// Package managers' caches, which hold unpacked packages nothing runs from. Each file
// in them that a package's metadata names is left out of the inventory, unless an
// environment reaches it through a symlink (inventory.ts): environments normally get
// hard links or copies, and a cache also keeps builds no environment has any more.
// - conda: every package it unpacked, `<root>/pkgs/<name>-<version>-<build>/` with
//   `info/index.json`, until `conda clean`. The index.json is what makes a `pkgs`
//   directory conda's: an app's own directory of that name is read as usual. A cache
//   elsewhere (CONDA_PKGS_DIRS) is known by what conda (and mamba) write into each
//   package they unpack into a cache, `info/repodata_record.json`, naming the package
//   as its directory is named, `<name>-<version>-<build>`. An archive unpacked by hand
//   (`cph x`, `ADD pkg.tar.bz2`) has the same directory name and index.json, but no
//   repodata_record.json: it may be what runs, so it is read.
//   https://docs.conda.io/projects/conda/en/stable/user-guide/concepts/package-cache.html
// - uv: unpacked wheels, `<root>/archive-v0/<id>/`, under a root that uv marks with
//   `CACHEDIR.TAG` (~/.cache/uv unless UV_CACHE_DIR), until `uv cache clean`.
//   https://docs.astral.sh/uv/concepts/cache/
import type { Analyzer } from './analyzer.ts';
import { resolveSymlink } from '../tar-path.ts';

const CONDA_INDEX = /(^|\/)pkgs\/[^/]+\/info\/index\.json$/;
const CONDA_RECORD = /(^|\/)[^/]+\/info\/repodata_record\.json$/;
const CACHE_TAG = /(^|\/)CACHEDIR\.TAG$/;
/** https://bford.info/cachedir/: the file starts with this line. */
const CACHE_TAG_SIGNATURE = 'Signature: 8a477f597d28d172789f06886806bc55';
const UV_ARCHIVE = /^archive-v\d+\/[^/]+\//;

export const packageCacheAnalyzer: Analyzer = {
  name: 'package-cache',
  interest(path) {
    // Every path of every layer comes here: a suffix check first, the patterns only then.
    if (!path.endsWith('.json') && !path.endsWith('CACHEDIR.TAG')) return undefined;
    return CONDA_INDEX.test(path) || CONDA_RECORD.test(path) || CACHE_TAG.test(path) ? 'read' : undefined;
  },
  parse(path, data) {
    const marker = CONDA_INDEX.test(path) ? isCondaIndex(data)
      : CONDA_RECORD.test(path) ? isCondaRecord(data, path)
      : data.toString('latin1', 0, CACHE_TAG_SIGNATURE.length) === CACHE_TAG_SIGNATURE;
    return marker ? { packages: [], notes: [], cacheMarker: true } : { packages: [], notes: [] };
  },
  key(pkg) {
    return pkg.name;
  },
};

/** conda's `info/index.json` names the package, its build and platform; any other file of that name is not one. */
function isCondaIndex(data: Buffer): boolean {
  const index = jsonObject(data);
  return index !== undefined && ['name', 'version', 'build', 'subdir'].every((key) => typeof index[key] === 'string');
}

/** A repodata_record.json that names the package its directory holds, as conda names it. */
function isCondaRecord(data: Buffer, path: string): boolean {
  const record = jsonObject(data);
  if (record === undefined || !['name', 'version', 'build'].every((key) => typeof record[key] === 'string')) return false;
  const dir = path.slice(0, -'/info/repodata_record.json'.length);
  return dir.slice(dir.lastIndexOf('/') + 1) === `${record['name']}-${record['version']}-${record['build']}`;
}

function jsonObject(data: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

export interface CachedIn {
  tool: 'conda' | 'uv';
  /** The cache's root as the report shows it: `/opt/conda/pkgs`, `/root/.cache/uv`. */
  cache: string;
}

/** The package caches of an image, from the marker files the walk found (walk paths, no leading `/`). */
export class PackageCaches {
  private readonly condaPackages = new Set<string>();
  /** The last path component of each of condaPackages: cachedIn builds a prefix only where one matches. */
  private readonly condaNames = new Set<string>();
  private readonly uvRoots: string[] = [];
  /** What symlinks reach inside cached packages (follow()); `all` when they could not be followed. */
  private reached: Set<string> | 'all' = new Set();

  add(marker: string): void {
    const info = CONDA_INDEX.test(marker) || CONDA_RECORD.test(marker) ? marker.lastIndexOf('/info/') : -1;
    if (info !== -1) {
      const dir = marker.slice(0, info + 1);
      this.condaPackages.add(dir);
      this.condaNames.add(dir.slice(dir.lastIndexOf('/', dir.length - 2) + 1, -1));
    } else if (CACHE_TAG.test(marker)) this.uvRoots.push(marker.slice(0, -'CACHEDIR.TAG'.length));
  }

  get size(): number {
    return this.condaPackages.size + this.uvRoots.length;
  }

  /** Notes what the image's symlinks reach inside cached packages (linkedFrom), for leftOut. */
  follow(symlinks: readonly (readonly [string, string])[]): void {
    if (this.size > 0) this.reached = this.linkedFrom(symlinks);
  }

  /** The cache a walk path is left out as: inside a cached package, and reached by no symlink. */
  leftOut(path: string): CachedIn | undefined {
    return this.size === 0 || this.reachedThroughLink(path) ? undefined : this.cachedIn(path);
  }

  /** Whether `path` is a file a symlink reaches, or inside a directory one reaches. */
  private reachedThroughLink(path: string): boolean {
    const reached = this.reached;
    if (reached === 'all' || reached.has(path)) return true;
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      if (reached.has(path.slice(0, slash))) return true;
    }
    return false;
  }

  /**
   * The files and directories inside cached packages that a symlink reaches, whatever the
   * symlink's own path and through symlinked directories on the way (`/opt/conda ->
   * miniconda3`): an environment that links into the cache runs what it links to.
   * Symlinks of every layer count, even ones a later layer removed, and every form a
   * target takes on the way is kept: a link can only add to what is reached. `all` when
   * the links are too deep or too many to follow within the budget: then nothing is
   * left out as cache.
   */
  linkedFrom(symlinks: readonly (readonly [string, string])[]): Set<string> | 'all' {
    const links = new Map<string, string>();
    for (const [path, target] of symlinks) {
      const resolved = resolveSymlink(path, target);
      if (resolved === undefined) continue;
      if (path.split('/').length > MAX_LINK_DEPTH || resolved.length > MAX_PATH_BYTES) return 'all';
      links.set(path, resolved);
    }
    const budget = { left: LOOKUP_BUDGET };
    const reached = new Set<string>();
    for (const target of links.values()) {
      const forms = throughLinks(target, links, budget);
      if (forms === undefined) return 'all';
      for (const form of forms) {
        if (this.cachedIn(form) !== undefined || this.cachedIn(`${form}/`) !== undefined) reached.add(form);
      }
    }
    return reached;
  }

  /** The cache a walk path is in, if it is inside an unpacked package of one. */
  cachedIn(path: string): CachedIn | undefined {
    if (this.condaPackages.size > 0) {
      for (let start = 0, slash = path.indexOf('/'); slash !== -1; start = slash + 1, slash = path.indexOf('/', start)) {
        if (!this.condaNames.has(path.slice(start, slash))) continue;
        const dir = path.slice(0, slash + 1);
        if (this.condaPackages.has(dir)) return { tool: 'conda', cache: `/${path.slice(0, Math.max(0, start - 1))}` };
      }
    }
    for (const root of this.uvRoots) {
      if (path.startsWith(root) && UV_ARCHIVE.test(path.slice(root.length))) return { tool: 'uv', cache: `/${root.slice(0, -1)}` };
    }
    return undefined;
  }
}

/** Beyond these a path is not something a process could open (ELOOP, ENAMETOOLONG), or not worth the time. */
const MAX_PATH_BYTES = 4096;
const MAX_LINK_DEPTH = 64;
const MAX_ROUNDS = 16;
/** Characters of prefixes looked up, over all links: an image of ordinary links uses a tiny part of it. */
const LOOKUP_BUDGET = 20_000_000;

/**
 * Every form `path` takes as the symlinked directories on it are replaced by their
 * targets, leftmost first, as the kernel resolves a path; undefined when the budget ran out.
 */
function throughLinks(path: string, links: ReadonlyMap<string, string>, budget: { left: number }): string[] | undefined {
  const forms = [path];
  let current = path;
  for (let round = 0; round < MAX_ROUNDS && current.length <= MAX_PATH_BYTES; round++) {
    const parts = current.split('/');
    let prefix = '';
    let rewritten: string | undefined;
    for (let i = 0; i < Math.min(parts.length - 1, MAX_LINK_DEPTH) && rewritten === undefined; i++) {
      prefix = i === 0 ? parts[0]! : `${prefix}/${parts[i]}`;
      budget.left -= prefix.length;
      if (budget.left < 0) return undefined;
      const target = links.get(prefix);
      if (target !== undefined) rewritten = [target, ...parts.slice(i + 1)].filter((p) => p !== '').join('/');
    }
    if (rewritten === undefined) break;
    current = rewritten;
    forms.push(current);
  }
  return forms;
}

/** What the report says of the packages a cache held. */
export function cacheNote({ tool, cache }: CachedIn, count: number): string {
  const packages = `${count} package${count === 1 ? '' : 's'}`;
  if (tool === 'conda') {
    return `${packages} in conda's package cache (${cache}) not counted as installed: Python and Node load from conda environments, which link the files they use; the cache also keeps builds the environments no longer have (conda clean --all empties it).`;
  }
  return `${packages} in uv's cache (${cache}) not counted as installed: Python loads from the environments uv installs into, which get their own links or copies; the cache also keeps wheels no environment has any more (uv cache clean, or --no-cache, leaves it out of the image).`;
}
