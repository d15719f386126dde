// PHP packages Composer installed: `vendor/composer/installed.json` (`<vendor-dir>/composer/…`), a JSON array of
// packages (Composer 1) or `{"packages": [...]}` (Composer 2, which adds `dev` and
// `dev-package-names`). https://getcomposer.org/doc/07-runtime.md#installed-versions
// Development packages are listed too: they are installed in the image, so they count.
import type { Analysis, Analyzer, RawPackage } from './analyzer.ts';
import { displayPath } from './analyzer.ts';

/** Under any vendor-dir: Nextcloud's 3rdparty sets "vendor-dir": ".", so its list is 3rdparty/composer/installed.json. */
const INSTALLED = /(^|\/)composer\/installed\.json$/;

export const composerAnalyzer: Analyzer = {
  name: 'composer',
  interest(path) {
    return INSTALLED.test(path) ? 'read' : undefined;
  },
  parse(path, data) {
    return parseInstalledJson(data, displayPath(path));
  },
  key(pkg) {
    return pkg.name;
  },
};

export function parseInstalledJson(data: Buffer, shown: string): Analysis {
  let document: unknown;
  try {
    document = JSON.parse(data.toString('utf8'));
  } catch (err) {
    return { packages: [], notes: [`${shown}: not valid JSON (${(err as Error).message}); skipped.`] };
  }
  const list = Array.isArray(document) ? document : isObject(document) && Array.isArray(document['packages']) ? document['packages'] : undefined;
  if (!list) return { packages: [], notes: [`${shown}: neither a package list (Composer 1) nor {"packages": […]} (Composer 2); skipped.`] };
  const packages: RawPackage[] = [];
  let unnamed = 0;
  for (const entry of list) {
    const name = isObject(entry) ? entry['name'] : undefined;
    const version = isObject(entry) ? entry['version'] : undefined;
    if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') {
      unnamed++;
      continue;
    }
    const pkg: RawPackage = { type: 'composer', name: name.toLowerCase(), version };
    const license = isObject(entry) ? entry['license'] : undefined;
    if (Array.isArray(license) && license.every((l) => typeof l === 'string') && license.length > 0) pkg.licenses = license as string[];
    packages.push(pkg);
  }
  const notes = unnamed > 0 ? [`${shown}: ${unnamed} entries without a name or version; skipped.`] : [];
  return { packages, notes };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
