// Writes the reports the user asked for (report, sarif, sbom inputs) and returns their paths.
// The files are uploaded as they are (code scanning, artifacts), so they pass through
// the scrubber (secrets.ts): the context before rendering, the text after.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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

/** Writes each requested file (creating parent directories); the result maps kind → absolute path. */
export async function writeReports(paths: ReportPaths, given: ReportContext): Promise<ReportPaths> {
  const ctx = secrets.scrubDeep(given);
  const written: ReportPaths = {};
  for (const kind of Object.keys(RENDERERS) as (keyof ReportPaths)[]) {
    const path = paths[kind]?.trim();
    if (!path) continue;
    const absolute = resolve(path);
    try {
      await mkdir(dirname(absolute), { recursive: true });
      await writeFile(absolute, scrub(RENDERERS[kind](ctx)));
    } catch (err) {
      throw new ImmutagError('INVALID_INPUT', `cannot write the ${kind} file ${absolute}: ${(err as Error).message}`, {
        hint: `Choose a writable path for the ${kind} input (for example under the workspace or runner.temp).`,
        cause: err,
      });
    }
    written[kind] = absolute;
  }
  return written;
}
