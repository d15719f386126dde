// The CLI's logger: lines on stderr, and on a terminal one live progress line that is
// rewritten in place and cleared before any other line, so a long push shows it is
// moving without scrolling the screen.
import { ConsoleLogger } from './log.ts';
import type { LiveLine } from './registry/push-progress.ts';

const CLEAR_LINE = '\r\x1b[K';

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class CliLogger extends ConsoleLogger implements Partial<LiveLine> {
  /** Present only on a terminal: elsewhere progress comes as ordinary lines every few seconds. */
  readonly liveLine: ((text: string) => void) | undefined;

  constructor(options: { verbose: boolean; stream: Stream }) {
    const { stream } = options;
    const state = { live: false };
    super({
      verbose: options.verbose,
      write: (line) => {
        if (state.live) stream.write(CLEAR_LINE);
        state.live = false;
        stream.write(line + '\n');
      },
    });
    this.liveLine = stream.isTTY === true
      ? (text) => {
          // Never wider than the terminal, or the rewrite would leave wrapped remnants behind.
          const width = Math.max(20, (stream.columns ?? 80) - 1);
          stream.write(CLEAR_LINE + (text.length > width ? text.slice(0, width - 1) + '…' : text));
          state.live = true;
        }
      : undefined;
  }
}
