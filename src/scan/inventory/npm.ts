// Installed npm packages: `node_modules/<name>/package.json` and
// `node_modules/@scope/<name>/package.json`, at any depth (nested node_modules,
// pnpm's node_modules/.pnpm/<id>/node_modules/<name>), and Yarn's pnpm linker's
// node_modules/.store/<locator>/package. A package.json anywhere else
// is a project manifest or a package-internal file, not an installed package.
import type { Analysis, Analyzer, RawPackage } from './analyzer.ts';
import { displayPath } from './analyzer.ts';

const MANIFEST = '/package.json';
const NODE_MODULES = 'node_modules';

export const npmAnalyzer: Analyzer = {
  name: 'npm',
  interest(path) {
    return path.endsWith(MANIFEST) && isInstalledManifest(path) ? 'read' : undefined;
  },
  parse(path, data) {
    return parsePackageJson(data, displayPath(path));
  },
  key(pkg) {
    return pkg.namespace ? `${pkg.namespace}/${pkg.name}` : pkg.name;
  },
};

/**
 * Yarn 1's cache (`/usr/local/share/.cache/yarn/v6` in the node images, `~/.cache/yarn/v6`
 * elsewhere) unpacks every package it fetches, dev dependencies and old versions too, as
 * `v6/npm-<name>-<version>-<hash>-integrity/node_modules/<name>/`: a download cache, never
 * on Node's path.
 */
const YARN1_CACHE = /(^|\/)v\d+\/npm-[^/]+\/node_modules\//;

/**
 * `…/node_modules/<name>/package.json` or `…/node_modules/@scope/<name>/package.json`,
 * and Yarn's pnpm linker's `…/node_modules/.store/<locator>/package/package.json`
 * (node_modules/<name> is a symlink to it; https://yarnpkg.com/configuration/yarnrc#nodeLinker).
 */
export function isInstalledManifest(path: string): boolean {
  if (YARN1_CACHE.test(path)) return false;
  const parts = path.split('/');
  const n = parts.length;
  if (isDenoCachePackage(parts)) return true;
  if (n >= 3 && parts[n - 3] === NODE_MODULES && isPackageDir(parts[n - 2]!)) return true;
  if (n >= 5 && parts[n - 5] === NODE_MODULES && parts[n - 4] === '.store' && parts[n - 2] === 'package' && parts[n - 3] !== '') return true;
  return n >= 4 && parts[n - 4] === NODE_MODULES && parts[n - 3]!.startsWith('@') && isPackageDir(parts[n - 2]!);
}

/**
 * Deno runs `npm:` imports straight from its cache when a project has no node_modules
 * (its default): `<DENO_DIR>/npm/<registry folder>/<name>/<version>/`, with `@scope/<name>`
 * for scoped packages, `_<base32>` for a name with capitals, `<version>_<n>` for a copy
 * made for other peer dependencies, and as registry folder the host (`<host>_<port>` with
 * a port) followed by the registry URL's path (denoland/deno_cache_dir, NpmCacheDir). What
 * it cached is what the app loads, so each package there counts as installed.
 */
function isDenoCachePackage(parts: readonly string[]): boolean {
  const n = parts.length;
  if (n < 5 || !DENO_VERSION_DIR.test(parts[n - 2]!)) return false;
  const name = parts[n - 3]!;
  if (!isPackageDir(name) && !DENO_BASE32_NAME.test(name)) return false;
  const nameAt = parts[n - 4]!.startsWith('@') ? n - 4 : n - 3;
  for (let i = 0; i + 1 < nameAt; i++) {
    if (parts[i] === 'npm' && DENO_REGISTRY_HOST.test(parts[i + 1]!)) return true;
  }
  return false;
}

const DENO_VERSION_DIR = /^\d+\.\d+\.\d+[^/]*$/;
const DENO_BASE32_NAME = /^_[a-z2-7]+$/;
/** A host name (with a dot, or localhost), `_<port>` after it when the registry has one; any name with a port. */
const DENO_REGISTRY_HOST = /^(?:[a-z0-9-]+\.[a-z0-9.-]+|localhost)(?:_\d+)?$|^[a-z0-9-]+_\d+$/i;

/** npm names never start with `.` or `_` (node_modules/.bin, .pnpm, .cache are not packages). */
function isPackageDir(name: string): boolean {
  return name !== '' && !name.startsWith('.') && !name.startsWith('_') && !name.startsWith('@');
}

export function parsePackageJson(data: Buffer, shown: string): Analysis {
  let manifest: unknown;
  try {
    // Node's require() and npm's reader strip a leading byte order mark (Windows editors write one).
    manifest = JSON.parse(data.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    return { packages: [], notes: [`${shown}: not valid JSON (${(err as Error).message}); skipped.`] };
  }
  if (!isObject(manifest)) return { packages: [], notes: [`${shown}: not a JSON object; skipped.`] };
  const name = manifest['name'];
  const version = manifest['version'];
  // A package.json without name or version in node_modules is a local or linked
  // package (workspaces, file: dependencies): nothing a registry advisory can name.
  if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') {
    return { packages: [], notes: [] };
  }
  return { packages: [toPackage(name, version, licensesOf(manifest))], notes: [] };
}

function toPackage(fullName: string, version: string, licenses: string[]): RawPackage {
  const pkg: RawPackage = { type: 'npm', name: fullName, version };
  const slash = fullName.indexOf('/');
  if (fullName.startsWith('@') && slash > 0) pkg.namespace = fullName.slice(0, slash);
  if (licenses.length > 0) pkg.licenses = licenses;
  return pkg;
}

/** `license: "MIT"`, the deprecated `license: {type}` and `licenses: [{type}]` forms. */
function licensesOf(manifest: Record<string, unknown>): string[] {
  const found: string[] = [];
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value !== '') found.push(value);
    else if (isObject(value) && typeof value['type'] === 'string') found.push(value['type']);
  };
  add(manifest['license']);
  const list = manifest['licenses'];
  if (Array.isArray(list)) list.forEach(add);
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
