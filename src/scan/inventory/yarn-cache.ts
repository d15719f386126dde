// npm packages of an app installed by Yarn 2+ with Plug'n'Play, its default: there is no
// node_modules; each package stays in its zip in `.yarn/cache/` (`lodash-npm-4.17.20-….zip`),
// laid out inside as `node_modules/<name>/package.json`. Read as the zips stream past,
// like Java archives; without this, such an app had no npm packages and passed.
// https://yarnpkg.com/features/pnp
import { isInstalledManifest, npmAnalyzer, parsePackageJson } from './npm.ts';
import { zipMembersAnalyzer } from './zip-stream.ts';

const CACHE_ZIP = /(^|\/)\.yarn\/cache\/[^/]+\.zip$/;
const MANIFEST_CAP = 1024 * 1024;

export const yarnCacheAnalyzer = zipMembersAnalyzer({
  name: 'yarn-cache',
  matches: (path) => CACHE_ZIP.test(path),
  wants: (member) => (member.endsWith('/package.json') && isInstalledManifest(member) ? MANIFEST_CAP : undefined),
  read: (data, shown) => parsePackageJson(data, shown),
  key: (pkg) => npmAnalyzer.key(pkg),
});
