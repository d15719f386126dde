// A stand-in `trivy`/`grype` executable in a temp dir: records its arguments, prints a
// report file, or fails as asked. Tests put the dir on PATH for the engine under test.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnginePlatform } from '../../src/scan/engines/engine.ts';

export interface FakeScanner {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Argument lists of every run, in order. */
  runs(): Promise<string[][]>;
  /**
   * Each run's working directory, how many entries it held, its TRIVY_* / GRYPE_* variables,
   * and the file its -c named (its lines other than comments and blanks; undefined when no -c
   * or no such file), in order.
   */
  surroundings(): Promise<Array<{ cwd: string; entries: number; vars: string[]; config: string[] | undefined }>>;
  /** The index.json of the layout each run was pointed at (--input DIR, oci-dir:DIR), in order; undefined for none. */
  layouts(): Promise<Array<{ manifests: Array<{ digest: string }> } | undefined>>;
  cleanup(): Promise<void>;
}

const SCRIPT = `#!/bin/sh
{ for a in "$@"; do printf '%s\\037' "$a"; done; printf '\\n'; } >> "$FAKE_SCANNER_ARGS"
layout=''; prev=''; config=''
for a in "$@"; do
  case "$a" in oci-dir:*) layout="\${a#oci-dir:}" ;; *) if [ "$prev" = "--input" ]; then layout="$a"; fi ;; esac
  if [ "$prev" = "-c" ]; then config="$a"; fi
  prev="$a"
done
{ if [ -n "$layout" ] && [ -f "$layout/index.json" ]; then tr -d '\\n' < "$layout/index.json"; fi; printf '\\n'; } >> "$FAKE_SCANNER_LAYOUTS"
{ printf '%s\\037%s\\037' "$(pwd)" "$(ls -A | wc -l)"
  if [ -n "$config" ] && [ -f "$config" ]; then printf 'config:'; grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$config" | tr '\\n' '\\036'; printf '\\037'; fi
  env | grep -E '^(TRIVY|GRYPE)_' | sort | tr '\\n' '\\037'; printf '\\n'; } >> "$FAKE_SCANNER_SURROUNDINGS"
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
  const layoutsFile = join(dir, 'layouts');
  await writeFile(layoutsFile, '');
  const surroundingsFile = join(dir, 'surroundings');
  await writeFile(surroundingsFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:/usr/bin:/bin`,
    FAKE_SCANNER_ARGS: argsFile,
    FAKE_SCANNER_LAYOUTS: layoutsFile,
    FAKE_SCANNER_SURROUNDINGS: surroundingsFile,
    FAKE_SCANNER_REPORT: options.report ?? '',
    FAKE_SCANNER_EXIT: String(options.exit ?? 0),
    FAKE_SCANNER_STDERR: options.stderr ?? '',
  };
  return {
    dir,
    env,
    runs: async () => (await readFile(argsFile, 'utf8')).split('\n').filter(Boolean).map((line) => line.split('\u001f').slice(0, -1)),
    surroundings: async () => (await readFile(surroundingsFile, 'utf8')).split('\n').filter(Boolean).map((line) => {
      const [cwd = '', entries = '0', ...rest] = line.split('\u001f');
      const config = rest.find((field) => field.startsWith('config:'));
      const vars = rest.filter((field) => field !== '' && field !== config);
      return { cwd, entries: Number(entries.trim()), vars, config: config?.slice('config:'.length).split('\u001e').filter(Boolean) };
    }),
    layouts: async () => (await readFile(layoutsFile, 'utf8')).split('\n').slice(0, -1).map((line) => (line === '' ? undefined : JSON.parse(line))),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A platform as the engines get it, for a manifest that names nothing else. */
export function enginePlatform(platform: string, digest: string): EnginePlatform {
  return { platform, manifestDigest: digest, descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 2 }, digests: [digest] };
}
