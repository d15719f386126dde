// npm packages of an app installed by Yarn 2+ with Plug'n'Play, its default: there is no
// node_modules; each package stays in its zip in a cache (`lodash-npm-4.17.20-….zip`),
// laid out inside as `node_modules/<name>/package.json`. Read as the zips stream past,
// like Java archives; without this, such an app had no npm packages and passed.
// https://yarnpkg.com/features/pnp
import { isInstalledManifest, npmAnalyzer, parsePackageJson } from './npm.ts';
import { zipMembersAnalyzer } from './zip-stream.ts';

/**
 * The project's cache (`.yarn/cache`), Yarn 4's global cache (`~/.yarn/berry/cache`:
 * enableGlobalCache is its default, and `.pnp.cjs` loads the zips from there), and a
 * zip named as Yarn names its cache files wherever a cacheFolder setting put it: by the
 * protocol it came from, `npm` (`lodash-npm-4.17.20-<hash>-<key>.zip`), and the others
 * Yarn writes with no version in the name: `patch` (Yarn patches resolve, typescript and
 * fsevents in every project itself), `https`/`http` tarballs, `git`/`github`, `file`, `exec`.
 */
const CACHE_ZIP = /(^|\/)\.yarn\/(berry\/)?cache\/[^/]+\.zip$/;
const YARN_ZIP_NAME = /(^|\/)[^/]+-(?:npm-[^/]+|patch|https?|git|github|file|exec)-[0-9a-f]{10}-[0-9a-z]+\.zip$/;
const MANIFEST_CAP = 1024 * 1024;

export const yarnCacheAnalyzer = zipMembersAnalyzer({
  name: 'yarn-cache',
  matches: (path) => CACHE_ZIP.test(path) || YARN_ZIP_NAME.test(path),
  wants: (member) => (member.endsWith('/package.json') && isInstalledManifest(member) ? MANIFEST_CAP : undefined),
  read: (data, shown) => parsePackageJson(data, shown),
  key: (pkg) => npmAnalyzer.key(pkg),
});
