// What the CLI loads before its first request is start-up time on every run. The build
// hands our sources Node's built-ins through process.getBuiltinModule (scripts/build.mjs),
// because an ESM import's facade reads every export and so loads the lazy ones; and the
// credential code loads node:child_process and reads config files without
// node:fs/promises. These tests hold that: a check's code loads none of the modules only
// other paths need.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from './support/exec.ts';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

/** The Node modules `dist/cli.js <args>` loads beyond a bare `node`. */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-startup-'));
  try {
    const preload = join(dir, 'list.cjs');
    const out = join(dir, 'modules.json');
    await writeFile(preload, `const base = new Set(process.moduleLoadList);
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList.filter((m) => !base.has(m)))));\n`);
    await run(process.execPath, ['--require', preload, CLI, ...args]);
    return JSON.parse(await readFile(out, 'utf8')) as string[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the CLI starts without the Node modules a tag check never uses', async () => {
  const loaded = await modulesLoaded(['--version']);
  // The check path's own needs are there (the list is real, not empty)...
  for (const needed of ['NativeModule http', 'NativeModule crypto', 'NativeModule net']) {
    assert.ok(loaded.includes(needed), `${needed} is loaded by a check's code`);
  }
  // ...and none of these: node:util's facade loads worker_threads and the assertion
  // differ, node:crypto's WebCrypto, node:fs's fs/promises, readline and file streams;
  // child_process is for credential helpers; tls, http2 and Node's undici for other origins;
  // node:module makes the `require` that only bundled CommonJS code calls.
  const unused = ['worker_threads', 'internal/util/diff', 'internal/crypto/webcrypto', 'fs/promises', 'internal/readline/interface',
    'internal/fs/streams', 'child_process', 'tls', 'http2', 'internal/deps/undici/undici', 'module'];
  const found = unused.filter((name) => loaded.includes(`NativeModule ${name}`));
  assert.deepEqual(found, [], `loaded at start-up: ${found.join(', ')}`);
});

test('no bundle imports a Node built-in through an ESM facade', async () => {
  const dist = new URL('../dist/', import.meta.url);
  const files = ['cli.js', 'cli-main.js', 'index.js', ...(await readdir(new URL('chunks/', dist))).map((f) => `chunks/${f}`)];
  const offenders: string[] = [];
  for (const file of files) {
    const text = await readFile(new URL(file, dist), 'utf8');
    if (/\b(?:from|import)\s*\(?\s*["']node:/.test(text)) offenders.push(file);
  }
  assert.deepEqual(offenders, []);
});

/** The files `file` imports statically, itself included (what Node resolves, links and evaluates before it runs). */
async function staticClosure(file: URL): Promise<string[]> {
  const seen = new Set<string>();
  const walk = async (url: URL): Promise<void> => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const text = await readFile(url, 'utf8');
    for (const m of text.matchAll(/(?:\bimport|\bfrom)\s*"(\.[^"]+)"/g)) await walk(new URL(m[1]!, url));
  };
  await walk(file);
  return [...seen].map((href) => href.slice(href.indexOf('/dist/') + '/dist/'.length));
}

test('the modules the CLI loads at start are bundled into a few files, not one chunk each', async () => {
  // Node resolves, links and instantiates every file on its own: 17 files cost a
  // 20-tag check about 4 ms and 15 ms of CPU over one (scripts/build.mjs, "start-modules").
  const files = await staticClosure(new URL('../dist/cli-main.js', import.meta.url));
  assert.ok(files.length <= 4, `dist/cli-main.js loads ${files.length} files at start: ${files.join(', ')}`);
  // Lazily loaded code (scan, push, pin, the Markdown renderers) stays out of them.
  assert.deepEqual(files.filter((f) => /scan|push|pin|comment|summary/.test(f)), []);
});
