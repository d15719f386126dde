// A stand-in `trivy`/`grype` executable in a temp dir: records its arguments, prints a
// report file, or fails as asked. Tests put the dir on PATH for the engine under test.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeScanner {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Argument lists of every run, in order. */
  runs(): Promise<string[][]>;
  cleanup(): Promise<void>;
}

const SCRIPT = `#!/bin/sh
{ for a in "$@"; do printf '%s\\037' "$a"; done; printf '\\n'; } >> "$FAKE_SCANNER_ARGS"
if [ -n "$FAKE_SCANNER_STDERR" ]; then printf '%s\\n' "$FAKE_SCANNER_STDERR" >&2; fi
if [ -n "$FAKE_SCANNER_REPORT" ]; then cat "$FAKE_SCANNER_REPORT"; fi
exit "\${FAKE_SCANNER_EXIT:-0}"
`;

/** Installs a fake `name` that prints `report` (a file path) and exits with `exit`. */
export async function fakeScanner(name: string, options: { report?: string; exit?: number; stderr?: string } = {}): Promise<FakeScanner> {
  const dir = await mkdtemp(join(tmpdir(), `immutag-fake-${name}-`));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, name), SCRIPT);
  await chmod(join(bin, name), 0o755);
  const argsFile = join(dir, 'args');
  await writeFile(argsFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:/usr/bin:/bin`,
    FAKE_SCANNER_ARGS: argsFile,
    FAKE_SCANNER_REPORT: options.report ?? '',
    FAKE_SCANNER_EXIT: String(options.exit ?? 0),
    FAKE_SCANNER_STDERR: options.stderr ?? '',
  };
  return {
    dir,
    env,
    runs: async () => (await readFile(argsFile, 'utf8')).split('\n').filter(Boolean).map((line) => line.split('\u001f').slice(0, -1)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
