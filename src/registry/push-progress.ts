// Progress of a push for someone watching the job log: bytes done of the total and
// the rate, at most once per interval, driven by the bytes themselves (no timer to
// clean up, and a stalled upload shows as silence rather than repeated lines).
import type { Logger } from '../log.ts';

export const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;

export class PushProgress {
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private total = 0;
  private done = 0;
  private started = 0;
  private lastLog = 0;

  constructor(logger: Logger, intervalMs: number = DEFAULT_PROGRESS_INTERVAL_MS, now: () => number = Date.now) {
    this.logger = logger;
    this.intervalMs = intervalMs;
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
    this.logger.info(`Uploading: ${formatBytes(this.done)} of ${formatBytes(this.total)} (${percent(this.done, this.total)}) at ${rate(this.done, now - this.started)}`);
  }

  /** Time since the first expected byte, for the closing line. */
  elapsedMs(): number {
    return this.started === 0 ? 0 : this.now() - this.started;
  }
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
