// Runs an external scanner and returns its standard output. A scanner that is missing,
// exits non-zero, or is killed is SCANNER_FAILED (an operational error), never a policy result.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImmutagError } from '../../errors.ts';
import type { Logger } from '../../log.ts';

export interface ScannerCommand {
  /** The program name for messages (`trivy`). */
  name: string;
  /** The executable; looked up on PATH unless it contains a slash. */
  bin: string;
  args: string[];
  /** How to install it, for the error when it is missing. */
  installHint: string;
  env?: NodeJS.ProcessEnv;
  /** A configuration file of ours, given with `flag` so that the program reads no other. */
  ownConfig?: OwnConfig;
  timeoutMs?: number;
  maxOutputBytes?: number;
  logger?: Logger;
  /**
   * The run's: aborted at its time limit or when it is asked to stop. The scanner is
   * killed then and its reason is the error (RUN_TIMEOUT, RUN_CANCELLED): a run's limit
   * bounds the scan too, and nothing it leaves running outlives the run.
   */
  signal?: AbortSignal;
}

export interface OwnConfig {
  flag: string;
  /** The file's name: its extension tells the program the format. */
  name: string;
  text: string;
}

const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
const DEFAULT_MAX_OUTPUT = 512 * 1024 * 1024;
const STDERR_TAIL = 4096;

/** SCANNER_FAILED: the scanner could not give an answer; never a policy result. */
export function scannerFailed(message: string, hint: string, cause?: unknown): ImmutagError {
  return new ImmutagError('SCANNER_FAILED', message, cause === undefined ? { hint } : { hint, cause });
}

// A scanner is someone else's program: it gets our environment (proxies, caches, a
// GITHUB_TOKEN the user set for it) without our credentials: the Action's inputs (the
// registry password and GitHub token among them), the runner's ACTIONS_* tokens (OIDC,
// cache, artifacts) and the CLI's IMMUTAG_PASSWORD.
const WITHHELD_PREFIXES = ['INPUT_', 'ACTIONS_'];
const WITHHELD = new Set(['IMMUTAG_PASSWORD']);

// Nor does it get its own settings, except those for where its database and the image
// come from: the policy is immutag's fail-on and ignore file. TRIVY_SEVERITY (left in
// GITHUB_ENV by an earlier trivy-action), TRIVY_IGNOREFILE, TRIVY_VEX or GRYPE_ONLY_FIXED
// would drop findings before the policy ever saw them, and the run would pass.
const SCANNER_SETTINGS = /^(TRIVY|GRYPE)_/;
const SCANNER_SETTINGS_KEPT = new RegExp('^(TRIVY_(' + [
  // The database and caches (a mirror, an air-gapped copy, a Redis cache and its TLS).
  'CACHE_', 'DB_', 'JAVA_DB_', 'REDIS_', 'SKIP_DB_UPDATE$', 'SKIP_JAVA_DB_UPDATE$', 'SKIP_CHECK_UPDATE$', 'OFFLINE_SCAN$',
  // Client/server mode, the registry, telemetry and logging.
  'SERVER$', 'TOKEN$', 'TOKEN_HEADER$', 'CUSTOM_HEADERS$', 'USERNAME$', 'PASSWORD$', 'REGISTRY_TOKEN$', 'INSECURE$', 'NON_SSL$',
  'DISABLE_TELEMETRY$', 'SKIP_VERSION_CHECK$', 'TIMEOUT$', 'NO_PROGRESS$', 'DEBUG$', 'QUIET$',
].join('|') + ')|GRYPE_(DB_|REGISTRY_|CHECK_FOR_APP_UPDATE$|LOG_))');

function scannerEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (WITHHELD.has(name) || WITHHELD_PREFIXES.some((p) => name.startsWith(p))) continue;
    if (SCANNER_SETTINGS.test(name) && !SCANNER_SETTINGS_KEPT.test(name)) continue;
    out[name] = value;
  }
  return out;
}

export function runScanner(cmd: ScannerCommand): Promise<string> {
  if (cmd.signal?.aborted) return Promise.reject(cmd.signal.reason);
  const maxOutput = cmd.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  // An empty working directory of its own: in the workspace it would read .trivyignore,
  // trivy.yaml or .grype.yaml from the repository and filter findings the same way.
  const own = mkdtempSync(join(tmpdir(), 'immutag-scanner-'));
  const cwd = join(own, 'cwd');
  mkdirSync(cwd);
  const args = [...cmd.args];
  if (cmd.ownConfig !== undefined) {
    const file = join(own, cmd.ownConfig.name);
    writeFileSync(file, cmd.ownConfig.text);
    args.push(cmd.ownConfig.flag, file);
  }
  cmd.logger?.info(`running ${cmd.bin} ${args.join(' ')}`);
  return new Promise<string>((resolve, reject) => {
    const child = spawn(cmd.bin, args, {
      cwd,
      env: scannerEnvironment(cmd.env ?? process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Our own timer rather than spawn's `timeout`: spawn's stays armed when the program is
    // missing (no exit event), which would keep the process alive for the whole timeout.
    const timeoutMs = cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let stderrCut = false;
    let settled = false;
    const stop = () => {
      child.kill('SIGKILL');
      // A program it started may still hold the pipes open, and open pipes would keep this
      // process waiting for it after the run has ended.
      child.stdout.destroy();
      child.stderr.destroy();
      finish(cmd.signal?.reason);
    };
    const finish = (err: unknown, value?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cmd.signal?.removeEventListener('abort', stop);
      if (err) reject(err);
      else resolve(value ?? '');
    };
    cmd.signal?.addEventListener('abort', stop, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) {
        child.kill('SIGKILL');
        finish(scannerFailed(`${cmd.name} printed more than ${maxOutput} bytes of output`, 'The report is too large to read; scan fewer platforms or raise the limit.'));
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const all = stderr + chunk.toString('utf8');
      if (all.length > STDERR_TAIL) stderrCut = true;
      stderr = all.slice(-STDERR_TAIL);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        finish(scannerFailed(`${cmd.name} is not installed (no "${cmd.bin}" on PATH)`, cmd.installHint, err));
      } else {
        finish(scannerFailed(`${cmd.name} could not be started: ${err.message}`, cmd.installHint, err));
      }
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        finish(undefined, Buffer.concat(out).toString('utf8'));
        return;
      }
      const how = signal ? `was stopped by ${signal} (time limit ${timeoutMs} ms)` : `exited with code ${code}`;
      // A cut tail starts mid-line, perhaps mid-secret (a proxy URL), which the scrubber
      // would no longer recognise: only whole lines are quoted.
      const whole = stderrCut ? stderr.slice(stderr.indexOf('\n') + 1 || stderr.length) : stderr;
      const tail = whole.trim() ? `: ${whole.trim().split('\n').slice(-5).join(' | ')}` : '';
      finish(scannerFailed(`${cmd.name} ${how}${tail}`, `The scanner could not scan the image; this is not a policy result. Run ${cmd.name} by hand with the same arguments to see why.`));
    });
  }).finally(() => rmSync(own, { recursive: true, force: true }));
}

/** Output that parsed as JSON but is not the report we read: never a clean scan. */
export function unexpectedReport(name: string, why: string): ImmutagError {
  return scannerFailed(`${name} printed JSON that is not a report immutag reads: ${why}`,
    `Use a ${name} release whose JSON report immutag reads (see the README); a report of another shape is not read as "nothing found".`);
}

/** Parses a scanner's JSON output; unreadable output is SCANNER_FAILED. */
export function parseScannerJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw scannerFailed(`${name} printed output that is not JSON (${(err as Error).message}; first bytes: ${JSON.stringify(text.slice(0, 80))})`,
      `Check that the installed ${name} supports JSON output; immutag reads its --format json / -o json report.`, err);
  }
}
