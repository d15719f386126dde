// The bytes of hard links the first pass over a layer could not fill in. An archiver
// writes a file with several names once, under the first name its walk reaches, and
// every later name as a hard link to that member. The first name is an accident of
// order: pnpm's store sorts before /usr/src/app, and ostree keeps every file under
// sysroot/ostree/repo/objects before linking /usr to it. So a package.json or an
// rpmdb.sqlite can be a link to a member no analyser asked for, whose bytes have
// already streamed past. This visitor reads the same layer again (verified again by
// readLayer) and keeps only those members.
//
// A link holds what its target held when the link was made: tar extracts members in
// order, and a later member at the target's name replaces that name, not the link. So
// the content is taken at the link's own position in the archive. Both passes read the
// same verified bytes with the same reader, so entry positions match; a position whose
// entry is not the expected link is not trusted.
import type { LayerEntry, LayerVisitor } from '../layers.ts';

export interface PendingLink {
  /** Position of the link among the layer's entries (0 for the first). */
  index: number;
  path: string;
  /** The member it links to, as layers.ts names it. */
  target: string;
}

export type LinkedContent =
  | { kind: 'data'; data: Buffer }
  | { kind: 'oversized'; size: number; limit: number }
  | { kind: 'missing'; why: string };

export class HardLinkTargets implements LayerVisitor {
  private index = -1;
  private readonly wanted = new Set<string>();
  private readonly links = new Map<number, PendingLink>();
  /** What each wanted name holds at the current position. */
  private readonly current = new Map<string, LinkedContent>();
  private readonly taken = new Map<number, LinkedContent>();

  constructor(links: readonly PendingLink[]) {
    for (const link of links) {
      this.wanted.add(link.target);
      this.links.set(link.index, link);
    }
  }

  entry(entry: LayerEntry): boolean {
    this.index++;
    const link = this.links.get(this.index);
    if (link) this.taken.set(link.index, this.atLink(entry, link));
    if (!this.wanted.has(entry.path)) return false;
    if (entry.type === 'file') {
      this.current.set(entry.path, { kind: 'missing', why: 'its content could not be read' });
      return true;
    }
    this.current.set(entry.path, this.linkedAt(entry));
    return false;
  }

  file(entry: LayerEntry, data: Buffer): void {
    this.current.set(entry.path, { kind: 'data', data });
  }

  oversized(entry: LayerEntry, limit: number): void {
    this.current.set(entry.path, { kind: 'oversized', size: entry.size, limit });
  }

  /** What the link at `index` holds; missing when the layer never reached it. */
  contentOf(index: number): LinkedContent {
    return this.taken.get(index) ?? { kind: 'missing', why: 'the second read of the layer did not reach it' };
  }

  private atLink(entry: LayerEntry, link: PendingLink): LinkedContent {
    if (entry.type !== 'hardlink' || entry.path !== link.path || entry.linkTarget !== link.target) {
      return { kind: 'missing', why: 'the layer read differently the second time' };
    }
    return this.current.get(link.target) ?? { kind: 'missing', why: 'the layer has no member by that name before the link' };
  }

  /** A wanted name that is not a regular file: a link to a link holds what that one holds, anything else nothing readable. */
  private linkedAt(entry: LayerEntry): LinkedContent {
    if (entry.type === 'hardlink' && entry.linkTarget !== undefined) {
      return this.current.get(entry.linkTarget) ?? { kind: 'missing', why: `it is a hard link to ${JSON.stringify(entry.linkTarget)}, which was not read` };
    }
    return { kind: 'missing', why: `it is not a regular file (${entry.type})` };
  }
}
