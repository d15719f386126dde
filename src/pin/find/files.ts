// Which files `pin` reads: the paths given (files, directories, globs), walked without
// following symlinked directories, deduplicated by real path. A symlink that leads
// outside the given paths is skipped with a note, so a link cannot make pin rewrite
// a file the user did not name.
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { ImmutagError } from '../../errors.ts';
import type { FileKind, FileNote } from '../model.ts';

export interface Candidate {
  /** As shown in reports: relative to the working directory when inside it. */
  path: string;
  /** The file to read and write. */
  real: string;
  /** From the name; a YAML file's kind is refined from its content. */
  kind: 'dockerfile' | 'yaml';
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
// Stars, classes, braces, and the extglob groups `!(…)`, `+(…)`, `@(…)` (`*(…)`, `?(…)` hold a star or a question mark).
const GLOB_CHARS = /[*?[\]{}]|[!+@]\(/;

// `Dockerfile`, `Dockerfile.prod`, `Dockerfile-dev`, `Dockerfile_prod` (any name that
// starts with it, as the README's `Dockerfile*` says), `api.Dockerfile`; not
// `dockerfile.ts` or `Dockerfile.md`, which a directory walk meets in tooling and docs.
const NOT_DOCKERFILE = /(\.(md|txt|json|ya?ml|[cm]?[jt]sx?|go|py|rb|rs|java|sh|lock|bak|orig|swp|dockerignore)|~)$/i;

export function dockerfileName(name: string): boolean {
  if (NOT_DOCKERFILE.test(name)) return false;
  return dockerfileStem(name) || /\.(dockerfile|containerfile)$/i.test(name);
}

/**
 * A name that starts as a Dockerfile's does (`Dockerfile_prod`, `Containerfile.dev`).
 * Unless it is named as YAML, such a file is read as a Dockerfile or not at all: read as
 * YAML, a Dockerfile is usually one multi-line plain string, with no reference and no
 * note, so a check passed over every FROM in it.
 */
function dockerfileStem(name: string): boolean {
  return /^(Dockerfile|Containerfile|dockerfile|containerfile)/.test(name);
}

function yamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

export interface ExpandedPaths {
  files: Candidate[];
  notes: FileNote[];
  /** The inputs that matched no deploy file (a typo, a moved folder). */
  unmatched: string[];
}

export async function expandPaths(inputs: readonly string[], cwd: string): Promise<ExpandedPaths> {
  const notes: FileNote[] = [];
  const unmatched: string[] = [];
  const found = new Map<string, Candidate>();
  const roots: string[] = [];
  const pending: { abs: string; matcher?: (rel: string) => boolean; base: string }[] = [];
  for (const input of inputs) {
    if (GLOB_CHARS.test(input)) {
      refuseBangClass(input);
      // The glob's part after its static prefix, matched below the prefix: the same for
      // `deploy/*.yaml`, `./deploy/*.yaml` and `${{ github.workspace }}/deploy/*.yaml`.
      const { prefix, rest } = splitGlob(input);
      const base = resolve(cwd, prefix);
      roots.push(await realpath(base).catch(() => base));
      const isMatch = picomatch(rest, { dot: true });
      pending.push({ abs: base, base: cwd, matcher: (abs) => below(base, abs, isMatch) });
    } else {
      const abs = resolve(cwd, input);
      const real = await realpath(abs).catch(() => {
        throw new ImmutagError('INVALID_INPUT', `${input}: no such file or directory`, { hint: 'Give the paths of the deploy files to pin: files, directories or globs.' });
      });
      roots.push(real);
      pending.push({ abs, base: cwd });
    }
  }
  const inside = (real: string) => roots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep));
  for (const [i, p] of pending.entries()) {
    const st: WalkState = { cwd, found, notes, inside, matched: 0 };
    await visit(p.abs, true, p.matcher, st);
    // A typo in a glob must not read as "everything is pinned".
    if (st.matched === 0) {
      notes.push({ path: inputs[i]!, reason: 'matched no deploy file' });
      unmatched.push(inputs[i]!);
    }
  }
  return { files: [...found.values()], notes, unmatched };
}

/**
 * `[!_]` is "none of these" to bash, minimatch (@actions/glob) and gitignore, but the
 * glob compiler reads the `!` as a character of the class: `deploy/[!_]*.yaml` matched
 * `_base.yaml` alone, and a check passed with the other deploy files never read. The
 * compiler's "none of these" is `[^_]`; a group negation (`!(_base).yaml`) it reads as
 * meant.
 */
function refuseBangClass(glob: string): void {
  if (!glob.includes('[!')) return;
  throw new ImmutagError('INVALID_INPUT', `${glob}: a class opened with "[!" would match the characters it means to leave out (immutag's glob compiler reads that "!" as a character)`, {
    hint: `Write "none of these characters" as [^…]: ${glob.replaceAll('[!', '[^')}`,
  });
}

/** Whether `abs`, below `base`, matches the glob's rest (`**\/*.yaml`) as a `/`-separated path. */
function below(base: string, abs: string, isMatch: (path: string) => boolean): boolean {
  const rel = relative(base, abs);
  // `..` itself or a path through it is outside; `..data` (a projected volume's) is not.
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
  return isMatch(rel.split(sep).join('/'));
}

interface WalkState {
  cwd: string;
  found: Map<string, Candidate>;
  notes: FileNote[];
  inside: (real: string) => boolean;
  /** Files this input matched, including ones another input already listed. */
  matched: number;
}

async function visit(abs: string, given: boolean, matcher: ((abs: string) => boolean) | undefined, st: WalkState): Promise<void> {
  const shown = display(abs, st.cwd);
  const info = await lstat(abs).catch(() => undefined);
  if (info === undefined) return;
  if (info.isSymbolicLink()) {
    await visitSymlink(abs, shown, given, matcher, st);
    return;
  }
  if (info.isDirectory()) {
    if (!given && SKIPPED_DIRS.has(basename(abs))) return;
    const entries = await readdir(abs);
    entries.sort();
    for (const e of entries) await visit(join(abs, e), false, matcher, st);
    return;
  }
  if (!info.isFile()) return;
  if (matcher !== undefined ? !matcher(abs) : !given && !wanted(basename(abs))) return;
  add(st, abs, await realpath(abs));
}

/**
 * A symlink is read where it leads when that is inside the given paths. A note says why
 * one was not, only where it matters: a link that the name or glob selects (a dangling
 * `Dockerfile`), or a directory outside the paths (it may hold deploy files). A link the
 * glob does not select, or a directory link whose files are read where they are, is
 * passed over in silence: `**\/Dockerfile` has nothing to say about `web/static`.
 */
async function visitSymlink(abs: string, shown: string, given: boolean, matcher: ((abs: string) => boolean) | undefined, st: WalkState): Promise<void> {
  const selected = given || (matcher !== undefined ? matcher(abs) : wanted(basename(abs)));
  const real = await realpath(abs).catch(() => undefined);
  if (real === undefined) {
    if (selected) st.notes.push({ path: shown, reason: 'a symlink whose target does not exist' });
    return;
  }
  const directory = (await stat(real)).isDirectory();
  if (!st.inside(real)) {
    if (selected || directory) st.notes.push({ path: shown, reason: `a symlink leading outside the given paths (to ${display(real, st.cwd)}); not followed` });
    return;
  }
  if (directory) {
    if (given) st.notes.push({ path: shown, reason: 'a symlink to a directory; not followed (its files are read where they are)' });
    return;
  }
  if (selected) add(st, abs, real);
}

function wanted(name: string): boolean {
  return yamlName(name) || dockerfileName(name);
}

function add(st: WalkState, abs: string, real: string): void {
  const kind = kindOf(basename(abs));
  // A Dockerfile's docs or ignore file (`Dockerfile.md`, `Dockerfile.dockerignore`) that a
  // name or glob selects: neither a Dockerfile nor YAML, so not a deploy file.
  if (kind === undefined) return;
  st.matched++;
  if (st.found.has(real)) return;
  st.found.set(real, { path: display(abs, st.cwd), real, kind });
}

/**
 * How a selected file is read: a `.yaml`/`.yml` name is YAML whatever it starts with
 * (`dockerfile-images.yaml`); undefined for a Dockerfile-named file that is neither.
 */
function kindOf(name: string): Candidate['kind'] | undefined {
  if (dockerfileName(name)) return 'dockerfile';
  if (yamlName(name)) return 'yaml';
  return dockerfileStem(name) ? undefined : 'yaml';
}

function display(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') ? rel.split(sep).join('/') : abs;
}

/** `deploy/**\/*.yaml` → `deploy` (where the walk starts) and `**\/*.yaml` (what is matched below it). */
function splitGlob(glob: string): { prefix: string; rest: string } {
  const parts = glob.split('/');
  const at = parts.findIndex((part) => GLOB_CHARS.test(part));
  const prefix = parts.slice(0, at).join('/');
  return { prefix: at === 0 ? '.' : prefix === '' ? '/' : prefix, rest: parts.slice(at).join('/') };
}

export type { FileKind };
