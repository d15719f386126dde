#!/usr/bin/env node
// The CLI's entry point, kept tiny and in ES2015 syntax (plus the dynamic import every
// ESM-capable Node parses) so that an older Node reads it far enough to say which
// Node immutag needs, instead of failing on syntax or a missing API in the bundle.
// scripts/build.mjs compiles it on its own with target es2015, which fails the build
// if newer syntax creeps in. Then it turns on Node's on-disk compile cache before
// loading the rest, so a second run skips compiling the bundle (about 10 ms of a
// 150 ms tag check); NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const NEEDED_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major < NEEDED_MAJOR) {
  const message = 'needs Node.js ' + NEEDED_MAJOR + ' or later; this is Node.js ' + process.version;
  const hint = 'In a clone of immutag, `npm ci` installs Node ' + NEEDED_MAJOR + ' and `npx immutag` uses it.';
  process.stderr.write('immutag: ' + message + '. ' + hint + '\n');
  // --json promises one JSON document on stdout, even here.
  if (process.argv.indexOf('--json') !== -1) {
    process.stdout.write(JSON.stringify({ result: 'error', tags: [], error: { code: 'UNSUPPORTED_NODE', message: message, hint: hint } }) + '\n');
  }
  process.exitCode = 2;
} else {
  import('node:module')
    .then(function (nodeModule) {
      try {
        if (nodeModule.enableCompileCache) nodeModule.enableCompileCache();
      } catch (err) {
        // A read-only temp dir only costs speed.
      }
      return import('./cli.ts');
    })
    .catch(function (err: unknown) {
      process.stderr.write('immutag: ' + String(err && (err as Error).stack || err) + '\n');
      process.exitCode = 2;
    });
}
