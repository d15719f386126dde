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

/** A logger that scrubs every registered secret (secrets.ts) from every line it prints. */
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
    return scrub(line);
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
