// Installed Python distributions: `<name>.dist-info/METADATA` (wheels, PEP 376/627),
// `<name>.egg-info/PKG-INFO` and the single-file `<name>.egg-info` (setuptools eggs,
// which Debian's python3-* packages still ship). Both are RFC 822 style headers.
// https://packaging.python.org/en/latest/specifications/core-metadata/
import type { Analysis, Analyzer, RawPackage } from './analyzer.ts';
import { displayPath } from './analyzer.ts';

/**
 * virtualenv's app-data images of the wheels it seeds venvs with
 * (`~/.cache/virtualenv/wheel/3.11/image/1/CopyPipInstall/pip-24.2-py3-none-any/`): by
 * default copied into each new venv, never on a sys.path, and left as they were when
 * the venv's pip is upgraded. virtualenv 20.0 wrote them under `seed-app-data/v1.0.1/3.8/image/CopyPipInstall/`.
 * `SymlinkPipInstall/` (--symlink-app-data) is what venvs link to, and is read.
 */
const VIRTUALENV_COPY_SEED = /(^|\/)image\/(\d+\/)?CopyPipInstall\/[^/]+\//;

export const pythonAnalyzer: Analyzer = {
  name: 'python',
  interest(path) {
    if (VIRTUALENV_COPY_SEED.test(path)) return undefined;
    if (path.endsWith('.dist-info/METADATA') || path.endsWith('.egg-info/PKG-INFO')) return 'read';
    // An egg installed unzipped: `<name>-<version>-pyX.Y.egg/EGG-INFO/PKG-INFO`.
    if (path.endsWith('.egg/EGG-INFO/PKG-INFO')) return 'read';
    // The single-file form is a regular file named like a directory; inventory only reads files.
    if (path.endsWith('.egg-info')) return 'read';
    return undefined;
  },
  parse(path, data) {
    return parseCoreMetadata(data.toString('utf8'), displayPath(path));
  },
  key(pkg) {
    return pkg.name;
  },
};

/** PEP 503: lowercase, runs of `-`, `_` and `.` become one `-`. OSV's PyPI names are normalised so. */
export function normalisePythonName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** Headers end at the first blank line; the body (the long description) is never parsed. */
export function parseCoreMetadata(text: string, shown: string): Analysis {
  const headers = readHeaders(text);
  const name = headers.get('name');
  const version = headers.get('version');
  if (!name || !version) {
    return { packages: [], notes: [`${shown}: no Name or Version header; skipped.`] };
  }
  const pkg: RawPackage = { type: 'pypi', name: normalisePythonName(name), version };
  if (pkg.name !== name) pkg.purlName = name;
  const license = licenseOf(headers);
  if (license) pkg.licenses = [license];
  return { packages: [pkg], notes: [] };
}

const WANTED = new Set(['name', 'version', 'license', 'license-expression']);

function readHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    // The first occurrence wins: only multi-use fields (Classifier…) repeat, and we read none of them.
    if (WANTED.has(key) && !headers.has(key)) headers.set(key, line.slice(colon + 1).trim());
  }
  return headers;
}

/** License-Expression (metadata 2.4) is an SPDX expression; the older License is free text. */
function licenseOf(headers: Map<string, string>): string | undefined {
  const expression = headers.get('license-expression');
  if (expression) return expression;
  const text = headers.get('license');
  if (!text || text === 'UNKNOWN' || text.length > 100) return undefined;
  return text;
}
