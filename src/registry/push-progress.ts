// Progress of a push for someone watching: bytes done of the total and the rate, in
// IEC units (KiB, MiB, GiB: the ones the size limits use) everywhere. In a log (the
// Action, CI systems, a pipe) it is one line every few seconds; on a terminal the
// logger offers a live line, rewritten a few times a second. Driven by the bytes
// themselves (no timer to clean up; a stalled upload shows as a line that stops moving).
import type { Logger } from '../log.ts';

export const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;
/** How often a live terminal line is rewritten. */
export const LIVE_PROGRESS_INTERVAL_MS = 250;

/** A logger that can show one line rewritten in place (the CLI on a terminal). */
export interface LiveLine {
  liveLine(text: string): void;
}

export class PushProgress {
  private readonly logger: Logger;
  private readonly show: (line: string) => void;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private total = 0;
  private done = 0;
  private started = 0;
  private lastLog = 0;

  constructor(logger: Logger, intervalMs?: number, now: () => number = Date.now) {
    this.logger = logger;
    const live = (logger as Partial<LiveLine>).liveLine;
    this.show = live !== undefined ? (line) => live.call(logger, line) : (line) => this.logger.info(line);
    this.intervalMs = intervalMs ?? (live !== undefined ? LIVE_PROGRESS_INTERVAL_MS : DEFAULT_PROGRESS_INTERVAL_MS);
    this.now = now;
  }

  get bytesDone(): number {
    return this.done;
  }

  /** More bytes are going to be uploaded (a repository's missing blobs). */
  expect(bytes: number): void {
    if (this.total === 0 && bytes > 0) {
      this.started = this.now();
      this.lastLog = this.started;
    }
    this.total += bytes;
  }

  /** Bytes handed to the network; negative when an attempt is retried from the start. */
  add(bytes: number): void {
    this.done += bytes;
    const now = this.now();
    if (now - this.lastLog < this.intervalMs || bytes <= 0) return;
    this.lastLog = now;
    this.show(progressLine(this.done, this.total, now - this.started));
  }

  /** Time since the first expected byte, for the closing line. */
  elapsedMs(): number {
    return this.started === 0 ? 0 : this.now() - this.started;
  }
}

/** `Uploading: 120.0 MiB of 200.0 MiB (60%) at 48.0 MiB/s`. */
export function progressLine(done: number, total: number, elapsedMs: number): string {
  return `Uploading: ${formatBytes(done)} of ${formatBytes(total)} (${percent(done, total)}) at ${rate(done, elapsedMs)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function rate(bytes: number, ms: number): string {
  if (ms <= 0) return '- /s';
  return `${formatBytes(Math.round((bytes * 1000) / ms))}/s`;
}

function percent(done: number, total: number): string {
  return total === 0 ? '100%' : `${Math.min(100, Math.floor((done * 100) / total))}%`;
}
