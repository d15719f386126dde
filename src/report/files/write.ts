// Writes the reports the user asked for (report, sarif, sbom inputs) and returns the paths
// written and the files that could not be.
// The files are uploaded as they are (code scanning, artifacts), so they pass through
// the scrubber (secrets.ts): the context before rendering, the text after.
import { mkdir, readlink, realpath, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ImmutagError } from '../../errors.ts';
import type { ReportContext } from './context.ts';
import { renderCycloneDx } from './cyclonedx.ts';
import { renderJsonReport } from './json.ts';
import { renderSarif } from './sarif.ts';
import { scrub, secrets } from '../../secrets.ts';

export interface ReportPaths {
  report?: string;
  sarif?: string;
  sbom?: string;
}

const RENDERERS: Record<keyof ReportPaths, (ctx: ReportContext) => string> = {
  report: renderJsonReport,
  sarif: renderSarif,
  sbom: renderCycloneDx,
};

/** A requested file that could not be written, and why. */
export interface ReportWriteFailure {
  kind: keyof ReportPaths;
  /** Absolute. */
  path: string;
  error: ImmutagError;
}

export interface ReportsWritten {
  /** kind → absolute path, for the files written in full only. */
  written: ReportPaths;
  failures: ReportWriteFailure[];
}

/**
 * Writes each requested file (creating parent directories). A file that fails does not
 * stop the others: the outputs name what is on disk, and a later step (the SARIF upload)
 * should find a file that could be written even when another one could not.
 */
export async function writeReports(paths: ReportPaths, given: ReportContext): Promise<ReportsWritten> {
  const ctx = secrets.scrubDeep(given);
  const written: ReportPaths = {};
  const failures: ReportWriteFailure[] = [];
  const claimed = new Map<string, keyof ReportPaths>();
  for (const kind of Object.keys(RENDERERS) as (keyof ReportPaths)[]) {
    const path = paths[kind]?.trim();
    if (!path) continue;
    const absolute = resolve(path);
    // A second file on one path would overwrite the first, and the first's output would
    // name a file holding the other kind of document. Compared as the file system sees
    // them, so a symlinked directory or file is the same path too.
    const identities = await fileIdentities(absolute);
    const first = identities.map((id) => claimed.get(id)).find((k) => k !== undefined);
    if (first !== undefined) {
      failures.push({ kind, path: absolute, error: new ImmutagError('INVALID_INPUT', `cannot write the ${kind} file ${absolute}: the ${first} file is written there`, {
        hint: `Give the ${first} and ${kind} inputs different paths.`,
      }) });
      continue;
    }
    for (const id of identities) claimed.set(id, kind);
    try {
      await mkdir(dirname(absolute), { recursive: true });
      await writeFile(absolute, scrub(RENDERERS[kind](ctx)));
      written[kind] = absolute;
      // Now that it exists, by its inode too: a later path may be a hard link to it.
      for (const id of await fileIdentities(absolute)) claimed.set(id, kind);
    } catch (err) {
      failures.push({ kind, path: absolute, error: new ImmutagError('INVALID_INPUT', `cannot write the ${kind} file ${absolute}: ${(err as Error).message}`, {
        hint: `Choose a writable path for the ${kind} input (for example under the workspace or runner.temp).`,
        cause: err,
      }) });
    }
  }
  return { written, failures };
}

/**
 * What `absolute` is once links are followed: the path it lands on (a dangling link's
 * target followed by hand, as writing through it would create that file) and, for a
 * file that exists, its device and inode, which a hard link shares.
 */
async function fileIdentities(absolute: string): Promise<string[]> {
  let path = absolute;
  for (let hops = 0; hops < 40; hops++) {
    const target = await readlink(path).catch(() => undefined);
    if (target === undefined) break;
    // Relative to the link's real directory, as the kernel reads it: `..` after a
    // symlinked directory leads out of its target, not out of the link's name.
    const from = await realpath(dirname(path)).catch(() => dirname(path));
    path = resolve(from, target);
  }
  const landed = await realpath(dirname(path)).then((dir) => join(dir, basename(path)), () => path);
  const stats = await stat(absolute).catch(() => undefined);
  return stats === undefined ? [landed] : [landed, `inode ${stats.dev}:${stats.ino}`];
}

/** The run's error for the files that could not be written: one names itself, several are listed together. */
export function reportWriteError(failures: readonly ReportWriteFailure[]): ImmutagError | undefined {
  if (failures.length <= 1) return failures[0]?.error;
  return new ImmutagError('INVALID_INPUT', `cannot write ${failures.length} report files: ${failures.map((f) => f.error.message).join('; ')}`, {
    hint: `Choose writable paths for the ${failures.map((f) => f.kind).join(' and ')} inputs (for example under the workspace or runner.temp).`,
    cause: failures[0]!.error,
  });
}
