// The core never imports @actions/core: it talks through this interface, so the
// Action, the CLI and the tests drive the same code without mocks.
import { registerSecret, scrub } from './secrets.ts';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Runs `fn` inside a collapsible log group (a no-op grouping outside Actions). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a value that must never be printed (secrets.ts scrubs it from every exit; the Action also masks it). */
  secret(value: string): void;
}

// Control characters other than tab, and the Unicode line separators: shown as \n, \r, \u001b.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

/**
 * One log line, whatever the message holds. Messages carry text from registries, images
 * and files (an error body, a platform name, a label); a newline in it would start a
 * line of its own, and a line starting with `::` is a workflow command to the runner
 * (`::stop-commands::` silences every later annotation), an escape sequence rewrites
 * the terminal. Such characters are shown escaped instead.
 */
export function oneLine(message: string): string {
  const line = message.replace(CONTROL, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // The runner reads a line whose first non-blank characters are `::` or `##[` as a
  // command whatever else it holds: its first character is shown escaped.
  // Its older form, `##[command]`, is read anywhere in a line: its second `#` is escaped.
  return line
    .replace(WORKFLOW_COMMAND, (_all, blank: string, first: string) => `${blank}\\u${first.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replaceAll('##[', '#\\u0023[');
}

const WORKFLOW_COMMAND = /^(\s*)([:#])(?=:|#\[)/;

/** A line as it may be printed: every registered secret scrubbed (secrets.ts), then made one line. */
export function printable(line: string): string {
  return oneLine(scrub(line));
}

/** A logger that scrubs every registered secret (secrets.ts) from every line it prints, each one line. */
export class ConsoleLogger implements Logger {
  private readonly verbose: boolean;
  private readonly write: (line: string) => void;

  constructor(options: { verbose?: boolean; write?: (line: string) => void } = {}) {
    this.verbose = options.verbose ?? false;
    this.write = options.write ?? ((line) => process.stderr.write(line + '\n'));
  }

  debug(message: string): void {
    if (this.verbose) this.write(this.scrub(`debug: ${message}`));
  }
  info(message: string): void {
    this.write(this.scrub(message));
  }
  warning(message: string): void {
    this.write(this.scrub(`warning: ${message}`));
  }
  error(message: string): void {
    this.write(this.scrub(`error: ${message}`));
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.info(title);
    return fn();
  }
  secret(value: string): void {
    registerSecret(value);
  }

  private scrub(line: string): string {
    return printable(line);
  }
}

/** Collects lines in memory; for tests. */
export class MemoryLogger extends ConsoleLogger {
  readonly lines: string[];
  constructor(verbose = true) {
    const lines: string[] = [];
    super({ verbose, write: (line) => lines.push(line) });
    this.lines = lines;
  }
}
