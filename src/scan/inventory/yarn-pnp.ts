// Yarn Plug'n'Play's loader: `.pnp.cjs` (Yarn 3+), `.pnp.js` (Yarn 2) and the data file
// beside either (`.pnp.data.json`, when pnpEnableInlining is off). Node under
// Plug'n'Play loads a package only from where the loader registers it, and for a
// zipped package that is inside a cache zip: `"packageLocation":
// "../root/.yarn/berry/cache/minimist-npm-1.2.6-….zip/node_modules/minimist/"`,
// relative to the loader's directory. Yarn never prunes its global cache, so the zips
// there are every package any install in the image fetched; the loader says which of
// them an app can load (inventory.ts counts those). https://yarnpkg.com/features/pnp
import { posix } from 'node:path';
import type { Analysis, Analyzer } from './analyzer.ts';

const LOADER = /(^|\/)\.pnp\.(cjs|js|data\.json)$/;
const LOCATION = /"packageLocation":\s*"([^"]*)"/g;
const ZIP_IN_LOCATION = /^(.*?\.zip)(\/|$)/;

export const pnpLoaderAnalyzer: Analyzer = {
  name: 'yarn-pnp',
  interest(path) {
    return LOADER.test(path) ? 'read' : undefined;
  },
  parse(path, data) {
    return registeredZips(path, data.toString('utf8'));
  },
  key() {
    return '';
  },
};

/** The cache zips a loader registers, as image paths (the walk's form: no leading `/`); no `loads` when it names no location. */
export function registeredZips(loaderPath: string, text: string): Analysis {
  const dir = posix.dirname(loaderPath);
  const zips = new Set<string>();
  let locations = 0;
  for (const match of text.matchAll(LOCATION)) {
    locations++;
    const location = match[1]!;
    // As Yarn's runtime resolves it: an absolute path, where `..` at / stays at / (an app
    // installed in /usr/src/app and copied to /app still reaches /root/.yarn).
    const zip = ZIP_IN_LOCATION.exec(posix.resolve('/', dir, location))?.[1];
    if (zip !== undefined) zips.add(zip.slice(1));
  }
  // No location at all is a loader this reader does not understand (or one whose data is
  // in the file beside it): it says nothing either way.
  return locations === 0 ? { packages: [], notes: [] } : { packages: [], notes: [], loads: [...zips] };
}
