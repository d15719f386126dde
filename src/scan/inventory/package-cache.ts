// Package managers' caches, which hold unpacked packages nothing runs from. Each file
// in them that a package's metadata names is left out of the inventory, unless an
// environment reaches it through a symlink (inventory.ts): environments normally get
// hard links or copies, and a cache also keeps builds no environment has any more.
// - conda: every package it unpacked, `<root>/pkgs/<name>-<version>-<build>/` with
//   `info/index.json`, until `conda clean`. The index.json is what makes a `pkgs`
//   directory conda's: an app's own directory of that name is read as usual. A cache
//   elsewhere (CONDA_PKGS_DIRS) is known by its packages alone: a directory named
//   `<name>-<version>-<build>` as its own info/index.json says, which is how conda
//   names every package it unpacks.
//   https://docs.conda.io/projects/conda/en/stable/user-guide/concepts/package-cache.html
// - uv: unpacked wheels, `<root>/archive-v0/<id>/`, under a root that uv marks with
//   `CACHEDIR.TAG` (~/.cache/uv unless UV_CACHE_DIR), until `uv cache clean`.
//   https://docs.astral.sh/uv/concepts/cache/
import type { Analyzer } from './analyzer.ts';
import { resolveSymlink } from '../tar-path.ts';

const CONDA_INDEX = /(^|\/)[^/]+\/info\/index\.json$/;
const IN_PKGS = /(^|\/)pkgs\/[^/]+\/info\/index\.json$/;
const CACHE_TAG = /(^|\/)CACHEDIR\.TAG$/;
/** https://bford.info/cachedir/: the file starts with this line. */
const CACHE_TAG_SIGNATURE = 'Signature: 8a477f597d28d172789f06886806bc55';
const UV_ARCHIVE = /^archive-v\d+\/[^/]+\//;

export const packageCacheAnalyzer: Analyzer = {
  name: 'package-cache',
  interest(path) {
    return CONDA_INDEX.test(path) || CACHE_TAG.test(path) ? 'read' : undefined;
  },
  parse(path, data) {
    const marker = CONDA_INDEX.test(path) ? isCondaIndex(data, path) : data.toString('latin1', 0, CACHE_TAG_SIGNATURE.length) === CACHE_TAG_SIGNATURE;
    return marker ? { packages: [], notes: [], cacheMarker: true } : { packages: [], notes: [] };
  },
  key(pkg) {
    return pkg.name;
  },
};

/**
 * conda's `info/index.json` names the package, its build and platform; any other file
 * of that name is not one. Outside a `pkgs` directory the package's directory must also
 * carry the name conda gives it, `<name>-<version>-<build>`.
 */
function isCondaIndex(data: Buffer, path: string): boolean {
  let index: Record<string, unknown>;
  try {
    index = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (!['name', 'version', 'build', 'subdir'].every((key) => typeof index[key] === 'string')) return false;
  if (IN_PKGS.test(path)) return true;
  const dir = path.slice(0, -'/info/index.json'.length);
  return dir.slice(dir.lastIndexOf('/') + 1) === `${index['name']}-${index['version']}-${index['build']}`;
}

export interface CachedIn {
  tool: 'conda' | 'uv';
  /** The cache's root as the report shows it: `/opt/conda/pkgs`, `/root/.cache/uv`. */
  cache: string;
}

/** The package caches of an image, from the marker files the walk found (walk paths, no leading `/`). */
export class PackageCaches {
  private readonly condaPackages = new Set<string>();
  private readonly uvRoots: string[] = [];
  /** What symlinks reach inside cached packages (follow()); `all` when they could not be followed. */
  private reached: Set<string> | 'all' = new Set();

  add(marker: string): void {
    if (CONDA_INDEX.test(marker)) this.condaPackages.add(marker.slice(0, -'info/index.json'.length));
    else if (CACHE_TAG.test(marker)) this.uvRoots.push(marker.slice(0, -'CACHEDIR.TAG'.length));
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
      for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
        const dir = path.slice(0, slash + 1);
        if (this.condaPackages.has(dir)) return { tool: 'conda', cache: `/${dir.slice(0, Math.max(0, dir.lastIndexOf('/', dir.length - 2)))}` };
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
