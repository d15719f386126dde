// Temporary files that must not outlive the process, even when it is stopped: a
// cancelled workflow sends SIGINT then SIGTERM, Ctrl-C sends SIGINT, a closed terminal
// or a dropped SSH session sends SIGHUP, and a partial layer left in TMPDIR is the
// image's bytes on a shared runner's disk. Domain code
// registers what it made (and unregisters it when it removed it itself); only the
// adapters (main.ts, cli.ts) install the handlers, so importing a module never
// changes how the process reacts to a signal.
import { rmSync } from 'node:fs';

const paths = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

/** Removes `path` (recursively) if the process is stopped or exits before `release()` is called. */
export function removeOnExit(path: string): { release: () => void } {
  paths.add(path);
  return { release: () => paths.delete(path) };
}

/** Removes every registered path now, synchronously (a signal handler cannot wait). */
export function removeRegistered(): void {
  for (const path of paths) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Best effort: the process is on its way out.
    }
  }
  paths.clear();
}

export interface SignalOptions {
  /**
   * The first signal asks the run to stop and give its answer (the CLI prints its report
   * and exits 128 + the signal's number); a second signal, or `graceMs` after the first,
   * ends the process as below. Without it the first signal does.
   */
  onFirstSignal?: (signal: NodeJS.Signals) => void;
  graceMs?: number;
}

/**
 * On SIGINT/SIGTERM/SIGHUP: remove the registered paths, then die of the same signal, so the
 * parent sees the conventional status (130, 143). On a normal or crashing exit: remove them too.
 */
export function installCleanupHandlers(options: SignalOptions = {}): void {
  if (installed) return;
  installed = true;
  process.once('exit', removeRegistered);
  const handlers = new Map<NodeJS.Signals, () => void>();
  const die = (signal: NodeJS.Signals): void => {
    removeRegistered();
    // With our handlers gone, the signal's default action ends the process as the sender meant.
    for (const [s, h] of handlers) process.off(s, h);
    process.kill(process.pid, signal);
  };
  let asked = false;
  for (const signal of SIGNALS) {
    handlers.set(signal, () => {
      if (options.onFirstSignal === undefined || asked) {
        die(signal);
        return;
      }
      asked = true;
      options.onFirstSignal(signal);
      setTimeout(() => die(signal), options.graceMs ?? 10_000).unref();
    });
  }
  for (const [signal, handler] of handlers) process.on(signal, handler);
}
