#!/usr/bin/env node
// The CLI's entry point, kept tiny and in ES2015 syntax (plus the dynamic import every
// ESM-capable Node parses) so that an older Node reads it far enough to say which
// Node immutag needs, instead of failing on syntax or a missing API in the bundle.
// scripts/build.mjs compiles it on its own with target es2015, which fails the build
// if newer syntax creeps in.
//
// It does not turn on Node's on-disk compile cache: it saved ~6 ms of a start and
// nothing measurable on a tag check, and whoever can write the cache directory
// (Node's default is under the shared temp dir) chooses the code that runs in a
// process that holds registry credentials.
const NEEDED_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major < NEEDED_MAJOR) {
  const message = 'needs Node.js ' + NEEDED_MAJOR + ' or later; this is Node.js ' + process.version;
  const hint = 'In a clone of immutag, `npm ci` installs Node ' + NEEDED_MAJOR + ' and `npx immutag` uses it.';
  process.stderr.write('immutag: ' + message + '. ' + hint + '\n');
  // --json promises one JSON document on stdout, even here.
  // A write error (a full disk) would be an unhandled 'error' event: exit 1, a violation.
  process.stdout.on('error', () => undefined);
  if (process.argv.indexOf('--json') !== -1) {
    process.stdout.write(JSON.stringify({ result: 'error', tags: [], error: { code: 'UNSUPPORTED_NODE', message: message, hint: hint } }) + '\n');
  }
  process.exitCode = 2;
} else {
  import('./cli.ts')
    .catch((err: unknown) => {
      process.stderr.write('immutag: ' + String(err && (err as Error).stack || err) + '\n');
      process.exitCode = 2;
    });
}
