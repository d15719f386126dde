// The merged filesystem view of an image, kept only for the paths the scanner
// tracks (package databases, package metadata files, os-release). Layers are
// applied in order with the OCI whiteout rules:
// https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts
//  - `.wh.<name>` deletes <name> (and everything below it) from the LOWER layers;
//  - `.wh..wh..opq` in a directory deletes the directory's lower contents;
//  - whiteouts never hide entries of their own layer ("Files that are present in the
//    same layer as a whiteout file can only be hidden by whiteout files in subsequent layers").
// A non-directory entry also hides a lower directory of the same name with all its
// contents, as overlayfs does, so `var/lib/rpm` turning into a symlink drops the old DB.

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

/** How a tracked path from an upper layer takes over from the same path below it. */
export type MergeFn<T> = (lower: T | undefined, upper: T) => T;

export class Overlay<T> {
  /** What the layers applied so far leave at each tracked path. */
  private readonly lower = new Map<string, T>();
  /** Every ancestor directory of a path in `lower`, with how many tracked paths it holds. */
  private readonly directories = new DirectoryCounts();
  /** What the layer being read writes; merged into `lower` when the layer ends. */
  private upper = new Map<string, T>();

  /** Records a tracked path written by the current layer (a later write in the same layer wins). */
  write(path: string, node: T): void {
    this.upper.set(path, node);
  }

  /** What the current layer has written at `path` so far (for hard links within a layer). */
  writtenInLayer(path: string): T | undefined {
    return this.upper.get(path);
  }

  /**
   * Applies an archive entry's effect on lower layers. Returns true when the entry
   * was a whiteout (it names no file of its own), false for an ordinary entry.
   */
  applyEntry(path: string, isDirectory: boolean): boolean {
    const slash = path.lastIndexOf('/');
    // Tested in place: slicing the base name of every entry of a large layer costs more than the check.
    if (path.startsWith(WHITEOUT_PREFIX, slash + 1)) {
      const dir = slash < 0 ? '' : path.slice(0, slash);
      this.applyWhiteout(dir, path.slice(slash + 1));
      return true;
    }
    if (isDirectory) {
      this.deleteLower(path);
    } else if (this.directories.has(path)) {
      this.deleteLowerBelow(path);
    }
    return false;
  }

  /** Merges the current layer's writes over the lower layers. */
  endLayer(merge: MergeFn<T>): void {
    for (const [path, node] of this.upper) {
      const previous = this.lower.get(path);
      if (previous === undefined) this.index(path, +1);
      this.lower.set(path, merge(previous, node));
    }
    this.upper = new Map();
  }

  get(path: string): T | undefined {
    return this.lower.get(path);
  }

  /** The merged view, sorted by path so results do not depend on archive order. */
  entries(): Array<[string, T]> {
    return [...this.lower.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private applyWhiteout(dir: string, base: string): void {
    if (base === OPAQUE_MARKER) {
      if (dir === '') this.clearLower();
      else this.deleteLowerBelow(dir);
      return;
    }
    // `.wh..wh.<x>` names other than the opaque marker are AUFS bookkeeping (e.g. `.wh..wh.plnk`).
    if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) return;
    const target = base.slice(WHITEOUT_PREFIX.length);
    if (target === '') return;
    const path = dir === '' ? target : `${dir}/${target}`;
    this.deleteLower(path);
    this.deleteLowerBelow(path);
  }

  private deleteLower(path: string): void {
    if (this.lower.delete(path)) this.index(path, -1);
  }

  private deleteLowerBelow(dir: string): void {
    if (!this.directories.has(dir)) return;
    const prefix = `${dir}/`;
    for (const path of [...this.lower.keys()]) {
      if (path.startsWith(prefix)) this.deleteLower(path);
    }
  }

  private clearLower(): void {
    this.lower.clear();
    this.directories.clear();
  }

  private index(path: string, delta: number): void {
    this.directories.add(path, delta);
  }
}

interface DirectoryNode {
  children: Map<string, DirectoryNode>;
  count: number;
}

/**
 * How many tracked paths sit below each directory, kept by path segment: a name of
 * thousands of segments costs its length, where a map of every prefix would cost its
 * length for each segment.
 */
class DirectoryCounts {
  private root: DirectoryNode = { children: new Map(), count: 0 };

  /** Counts `path` in (or, with -1, out of) each directory above it. */
  add(path: string, delta: number): void {
    let node = this.root;
    for (let start = 0, slash = path.indexOf('/'); slash >= 0; start = slash + 1, slash = path.indexOf('/', start)) {
      const segment = path.slice(start, slash);
      let child = node.children.get(segment);
      if (child === undefined) {
        child = { children: new Map(), count: 0 };
        node.children.set(segment, child);
      }
      child.count += delta;
      if (child.count <= 0) {
        node.children.delete(segment);
        return;
      }
      node = child;
    }
  }

  /** Whether any tracked path is below `dir`. */
  has(dir: string): boolean {
    let node: DirectoryNode | undefined = this.root;
    for (let start = 0; node !== undefined;) {
      const slash = dir.indexOf('/', start);
      node = node.children.get(slash < 0 ? dir.slice(start) : dir.slice(start, slash));
      if (slash < 0) return node !== undefined;
      start = slash + 1;
    }
    return false;
  }

  clear(): void {
    this.root = { children: new Map(), count: 0 };
  }
}
