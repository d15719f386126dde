// Names inside a layer tar are attacker-controlled. They are turned into one
// canonical, relative form (`etc/os-release`) before anything looks at them: the
// form a runtime writes them in. containerd cleans each name and stops `..` at the
// root (moby cleans it and refuses a name that leaves the root), so
// `opt/x/../app/lib/a.jar` lands at `opt/app/lib/a.jar` and `../etc/os-release` at
// `etc/os-release`. The scan reads them there too: skipping them would let a layer
// hide a jar or replace a package database behind a name the scanner will not look
// at. Nothing here touches the local filesystem.

/** Longer names than Linux's PATH_MAX cannot exist in a real root filesystem. */
export const MAX_PATH_BYTES = 4096;

export type TarPathResult =
  | { ok: true; path: string }
  | { ok: false; reason: 'nul' | 'too-long' };

/**
 * Canonical form of a tar member name: leading `/` and `./` removed, empty and
 * `.` segments dropped, `..` taking off the segment before it (none at the root), no
 * trailing slash. The archive root itself becomes ''. Names with a NUL byte or
 * longer than PATH_MAX are refused.
 */
export function normaliseTarPath(name: string): TarPathResult {
  if (name.includes('\0')) return { ok: false, reason: 'nul' };
  const path = isSimple(name) ? name : clean(name);
  // Measured after cleaning, as runtimes clean a name before they write it. A UTF-16
  // unit is at most 3 UTF-8 bytes, so short names need no byte count.
  if (path.length > MAX_PATH_BYTES / 3 && Buffer.byteLength(path) > MAX_PATH_BYTES) return { ok: false, reason: 'too-long' };
  return { ok: true, path };
}

function clean(name: string): string {
  const kept: string[] = [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  return kept.join('/');
}

/**
 * Most names in real layers are already canonical (`usr/bin/env`); checking that
 * without splitting keeps the per-entry cost of a large layer low.
 */
function isSimple(name: string): boolean {
  if (name === '' || name.charCodeAt(0) === 0x2f || name.charCodeAt(name.length - 1) === 0x2f) return false;
  if (name.startsWith('./') || name === '.' || name === '..') return false;
  return !name.includes('//') && !name.includes('/./') && !name.includes('/../') &&
    !name.endsWith('/.') && !name.endsWith('/..') && !name.startsWith('../');
}

/**
 * Where a symlink at `linkPath` points, inside the image: absolute targets start
 * at the image root and `..` stops at the root, as it does for a process inside
 * the container. The result is canonical; undefined for a target with a NUL byte.
 */
export function resolveSymlink(linkPath: string, target: string): string | undefined {
  if (target.includes('\0') || Buffer.byteLength(target) > MAX_PATH_BYTES) return undefined;
  const base = target.startsWith('/') ? [] : linkPath.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') base.pop();
    else base.push(segment);
  }
  return base.join('/');
}
