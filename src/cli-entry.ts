#!/usr/bin/env node
// The CLI's entry point. It turns on Node's on-disk compile cache before loading the
// rest, so a second run skips compiling the bundle: about 10 ms of a 150 ms tag check.
// The cache lives in the OS temp dir; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import * as nodeModule from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`immutag: needs Node.js 24 or later, and this is ${process.version}. Install Node 24 (or run npm ci in the immutag checkout, which provides it).\n`);
  process.exit(2);
}
try {
  nodeModule.enableCompileCache?.();
} catch {
  // A read-only temp dir only costs speed.
}
await import('./cli.ts');
