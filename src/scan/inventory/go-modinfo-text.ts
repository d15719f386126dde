// The module text of a Go 1.13-1.17 binary, found by content as the file streams past:
// its build info holds only pointers to this text, which lies in read-only data the
// stream has passed by the time the build info arrives.
import { MODINFO_END, MODINFO_START, modinfoBetweenSentinels } from './go-buildinfo.ts';

/** Bounds what one file may hold in memory. */
const MAX_CAPTURE = 1024 * 1024;

/** Keeps the bytes between MODINFO_START and MODINFO_END, however they are split into chunks. */
export class ModinfoText {
  private carry = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private size = 0;
  private complete: string | undefined;
  /** Still looking (no complete text yet, under the cap). */
  active = true;

  write(chunk: Buffer): void {
    if (!this.active) return;
    if (this.size === 0) {
      const start = this.find(chunk);
      if (start === undefined) return;
      chunk = start;
    }
    const room = MAX_CAPTURE - this.size;
    this.parts.push(Buffer.from(chunk.subarray(0, room)));
    this.size += Math.min(chunk.length, room);
    const whole = Buffer.concat(this.parts);
    this.parts = [whole];
    if (whole.indexOf(MODINFO_END) >= 0) {
      this.complete = modinfoBetweenSentinels(whole);
      this.active = false;
      this.parts = [];
    } else if (this.size >= MAX_CAPTURE) {
      this.active = false;
      this.parts = [];
    }
  }

  /** The bytes from the start sentinel on, searching the chunk in place (and the seam with the previous one). */
  private find(chunk: Buffer): Buffer | undefined {
    const overlap = MODINFO_START.length - 1;
    if (this.carry.length > 0) {
      const seam = Buffer.concat([this.carry, chunk.subarray(0, overlap)]);
      const at = seam.indexOf(MODINFO_START);
      if (at >= 0) return Buffer.concat([seam.subarray(at), chunk.subarray(overlap)]);
    }
    const at = chunk.indexOf(MODINFO_START);
    if (at >= 0) return chunk.subarray(at);
    this.carry = Buffer.from(chunk.subarray(Math.max(0, chunk.length - overlap)));
    return undefined;
  }

  text(): string | undefined {
    return this.complete;
  }
}
