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
//
// An archive read by its name (a `.jar`, an `.egg`) linked to an ostree object is not
// buffered: the target's bytes stream through the readers the link's name selects
// (`open`), once for each time the target's name is written before the link.
import type { EntrySink, LayerEntry, LayerVisitor } from '../layers.ts';
import type { ContentMember } from './claimed-content.ts';
import type { ContentRead } from './content-readers.ts';

export interface PendingLink {
  /** Position of the link among the layer's entries (0 for the first). */
  index: number;
  path: string;
  /** The member it links to, as layers.ts names it. */
  target: string;
  /**
   * For a link read as its bytes stream past: a sink for the target's bytes, as the
   * link's name selects its readers (undefined when none reads it). `size` is the target's.
   */
  open?(size: number): StreamedLink | undefined;
}

/** A sink for one link's bytes; `read()` is what its readers made of them, after `end`. */
export interface StreamedLink extends EntrySink {
  read(): ContentRead;
}

export type LinkedContent =
  | { kind: 'data'; data: Buffer }
  /** What a streamed link's readers made of the target's bytes (nothing, for an empty file), and which member held them. */
  | { kind: 'streamed'; read: ContentRead; member: ContentMember }
  | { kind: 'oversized'; size: number; limit: number }
  | { kind: 'missing'; why: string };

export class HardLinkTargets implements LayerVisitor {
  private index = -1;
  private readonly wanted = new Set<string>();
  private readonly links = new Map<number, PendingLink>();
  /** What each wanted name holds at the current position. */
  private readonly current = new Map<string, LinkedContent>();
  private readonly taken = new Map<number, LinkedContent>();
  /** Streamed links by the name they link to. */
  private readonly streamedTo = new Map<string, PendingLink[]>();
  /** What each streamed link's target holds at the current position, by the link's index. */
  private readonly streamed = new Map<number, LinkedContent>();

  constructor(links: readonly PendingLink[]) {
    for (const link of links) {
      this.links.set(link.index, link);
      if (link.open) this.streamedTo.set(link.target, [...(this.streamedTo.get(link.target) ?? []), link]);
      else this.wanted.add(link.target);
    }
  }

  entry(entry: LayerEntry): boolean {
    this.index++;
    const link = this.links.get(this.index);
    if (link) this.taken.set(link.index, this.atLink(entry, link));
    this.streamedTarget(entry);
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
    // A name wanted buffered by one link and streamed by another: the buffer streams too.
    const sink = this.stream(entry);
    if (sink && data.length > 0) sink.write(data);
    sink?.end();
  }

  /** A target of streamed links: its bytes go through each link's readers, as its name selects them. */
  stream(entry: LayerEntry): EntrySink | undefined {
    const member: ContentMember = { index: this.index, path: entry.path };
    const sinks = this.laterLinks(entry.path).flatMap((link) => {
      const sink = link.open?.(entry.size);
      if (!sink) return [];
      this.streamed.set(link.index, { kind: 'missing', why: 'its content could not be read' });
      const taken: EntrySink = {
        write: (chunk) => sink.write(chunk),
        end: () => {
          sink.end();
          this.streamed.set(link.index, { kind: 'streamed', read: sink.read(), member });
        },
      };
      return [taken];
    });
    return sinks.length === 0 ? undefined : fanOut(sinks);
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
    const held = link.open ? this.streamed.get(link.index) : this.current.get(link.target);
    return held ?? { kind: 'missing', why: 'the layer has no member by that name before the link' };
  }

  /** Streamed links still to come to `path`. */
  private laterLinks(path: string): PendingLink[] {
    return (this.streamedTo.get(path) ?? []).filter((link) => link.index > this.index);
  }

  /**
   * Each member at a streamed link's target name replaces what the link would hold: an
   * empty regular file (never streamed) holds nothing to read; anything else (a link to
   * a link, a directory) is not followed, and the link keeps its note.
   */
  private streamedTarget(entry: LayerEntry): void {
    for (const link of this.laterLinks(entry.path)) {
      const held: LinkedContent = entry.type === 'file'
        ? { kind: 'streamed', read: {}, member: { index: this.index, path: entry.path } }
        : { kind: 'missing', why: `it is not a regular file (${entry.type})` };
      this.streamed.set(link.index, held);
    }
  }

  /** A wanted name that is not a regular file: a link to a link holds what that one holds, anything else nothing readable. */
  private linkedAt(entry: LayerEntry): LinkedContent {
    if (entry.type === 'hardlink' && entry.linkTarget !== undefined) {
      return this.current.get(entry.linkTarget) ?? { kind: 'missing', why: `it is a hard link to ${JSON.stringify(entry.linkTarget)}, which was not read` };
    }
    return { kind: 'missing', why: `it is not a regular file (${entry.type})` };
  }
}

/** One sink feeding several; it wants bytes while any of them does. */
function fanOut(sinks: readonly EntrySink[]): EntrySink {
  const open = sinks.map(() => true);
  return {
    write: (chunk) => {
      let wanted = false;
      sinks.forEach((sink, i) => {
        if (open[i]) open[i] = sink.write(chunk);
        wanted = open[i] || wanted;
      });
      return wanted;
    },
    end: () => {
      for (const sink of sinks) sink.end();
    },
  };
}
