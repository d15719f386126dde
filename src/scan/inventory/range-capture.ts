// Keeps the bytes of a few known file ranges as a file streams past once, front to
// back: what a reader of an executable needs from places it learned from the headers.
// A range's buffer is allocated when the stream reaches it.
import type { FileRegion } from './executable.ts';

interface Range extends FileRegion {
  data?: Buffer;
  /** Bytes received from the range's start on (they arrive in order). */
  filled: number;
}

export class RangeCapture {
  private readonly ranges: Range[];
  private readonly end: number;

  /** `fileSize` clamps the ranges: nothing past the end of the file is waited for. */
  constructor(ranges: FileRegion[], fileSize: number) {
    const clamped = ranges
      .map((r) => ({ offset: r.offset, size: Math.max(0, Math.min(r.offset + r.size, fileSize) - r.offset) }))
      .filter((r) => r.size > 0);
    this.ranges = merged(clamped).map((r) => ({ ...r, filled: 0 }));
    this.end = Math.max(0, ...this.ranges.map((r) => r.offset + r.size));
  }

  /** Copies what of `chunk` (starting at file offset `position`) falls in a range. */
  write(chunk: Buffer, position: number): void {
    const chunkEnd = position + chunk.length;
    for (const range of this.ranges) {
      const from = Math.max(position, range.offset);
      const to = Math.min(chunkEnd, range.offset + range.size);
      if (from >= to) continue;
      range.data ??= Buffer.allocUnsafe(range.size);
      chunk.copy(range.data, from - range.offset, from - position, to - position);
      range.filled = to - range.offset;
    }
  }

  /** True once the stream has passed every range. */
  passed(position: number): boolean {
    return position >= this.end;
  }

  /** The bytes at [offset, offset + size) when one range received them all. */
  bytes(offset: number, size: number): Buffer | undefined {
    for (const range of this.ranges) {
      if (!range.data || offset < range.offset || offset + size > range.offset + range.filled) continue;
      return range.data.subarray(offset - range.offset, offset - range.offset + size);
    }
    return undefined;
  }
}

/**
 * Ranges that touch or overlap become one, so that bytes spanning their seam are one
 * lookup: cargo-auditable's two windows meet whenever less than their sum follows the
 * loaded segments, and a section across the seam was captured whole yet not found.
 */
function merged(ranges: FileRegion[]): FileRegion[] {
  const out: FileRegion[] = [];
  for (const r of [...ranges].sort((a, b) => a.offset - b.offset)) {
    const last = out[out.length - 1];
    if (last !== undefined && r.offset <= last.offset + last.size) {
      last.size = Math.max(last.size, r.offset + r.size - last.offset);
    } else {
      out.push({ offset: r.offset, size: r.size });
    }
  }
  return out;
}
