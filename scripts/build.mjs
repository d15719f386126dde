// Bundles the Action (dist/index.js) and the CLI (dist/cli.js) for the node24 runtime.
// Code splitting keeps the image, scan and push code in chunks that a tag check never
// loads. The banner gives bundled CommonJS dependencies a `require` for Node built-ins.
// The CLI's entry (dist/cli.js) is built apart, in ES2015 syntax and without the
// banner, so an old Node can run it far enough to print which Node is needed; it
// loads the CLI proper (dist/cli-main.js) only on Node 24.
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';

// @actions/http-client and @actions/github each pin undici 6 and import its whole index
// for ProxyAgent and fetch; src/http/actions-undici.ts gives them those two from the
// undici 7 that is bundled anyway (see that file for why this is safe).
const actionsUndici = {
  name: 'actions-undici',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) =>
      /node_modules[\\/]@actions[\\/]/.test(args.importer) ? { path: resolve('src/http/actions-undici.ts') } : undefined);
  },
};

// @actions/core imports its OIDC client (and so @actions/http-client, `tunnel` and
// node:tls) at start-up; src/http/actions-oidc.ts loads it on first use instead.
const coreOidc = {
  name: 'actions-core-oidc',
  setup(b) {
    b.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, (args) =>
      /node_modules[\\/]@actions[\\/]core[\\/]/.test(args.importer) ? { path: resolve('src/http/actions-oidc.ts') } : undefined);
    b.onResolve({ filter: /^real-oidc-utils$/ }, () => ({ path: resolve('node_modules/@actions/core/lib/oidc-utils.js') }));
  },
};

// An ESM `import` of a Node built-in builds a facade that reads every export, and
// lazy ones load modules at once: node:util's load worker_threads and the assertion
// differ, node:crypto's WebCrypto, node:fs's fs/promises, readline and file streams.
// Our own sources' value imports of built-ins become
// `const { … } = process.getBuiltinModule('node:…')`, which reads only the names used.
const BUILTIN_IMPORT = /^import\s+(?!type\b)(\{[^}]*\}|\*\s+as\s+\w+|\w+)\s+from\s+'(node:[\w/]+)';$/gm;
const builtinsWithoutFacade = {
  name: 'builtins-without-facade',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      // As esbuild's metafile names inputs: relative, with forward slashes (on Windows too).
      const input = relative(process.cwd(), args.path).replaceAll('\\', '/');
      const prelude = startChunk.importers.has(input) ? `import '${START_CHUNK}';\n` : '';
      return { contents: prelude + source.replace(BUILTIN_IMPORT, builtinImport), loader: 'ts' };
    });
  },
};

// Code splitting puts each set of modules reached from the same set of entry points
// (the two entries and every dynamic import) in a chunk of its own, so the modules
// both entries load at start were spread over ~17 chunks, and a tag check paid
// Node's per-module resolve, link and instantiation for each of them (about 4 ms and
// 15 ms of CPU of a 20-tag check). Every dynamically imported module of ours also
// imports a generated module that imports all of those: they are then reached from
// every entry point alike and land in one chunk. Loading it changes nothing at run
// time, as both entries have loaded and evaluated it before any dynamic import.
const START_CHUNK = 'immutag:start-modules';
const startChunk = { modules: [], importers: new Set() };
const startModules = {
  name: 'start-modules',
  setup(b) {
    b.onResolve({ filter: /^immutag:start-modules$/ }, () => ({ path: START_CHUNK, namespace: 'start-modules' }));
    b.onLoad({ filter: /.*/, namespace: 'start-modules' }, () => ({
      contents: startChunk.modules.map((m) => `import ${JSON.stringify(`./${m}`)};`).join('\n'),
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

/** Fills startChunk from a first, unwritten build's module graph. */
async function findStartModules(options) {
  const { metafile } = await build({ ...options, write: false, metafile: true, minify: false });
  const atStart = (entry) => {
    const seen = new Set();
    for (const stack = [entry]; stack.length > 0;) {
      const path = stack.pop();
      if (seen.has(path) || metafile.inputs[path] === undefined) continue;
      seen.add(path);
      for (const i of metafile.inputs[path].imports) if (i.kind === 'import-statement' && !i.external) stack.push(i.path);
    }
    return seen;
  };
  const [action, cli] = Object.values(options.entryPoints).map(atStart);
  startChunk.modules = [...action].filter((m) => cli.has(m) && !Object.values(options.entryPoints).includes(m));
  for (const input of Object.values(metafile.inputs)) {
    for (const i of input.imports) {
      // A module loaded at start is in the chunk already; importing it would make a cycle.
      if (i.kind === 'dynamic-import' && i.path.startsWith('src/') && !startChunk.modules.includes(i.path)) startChunk.importers.add(i.path);
    }
  }
}

/** `import { a, type B, c as d } from 'node:x'` → `import type { B } …` and `const { a, c: d } = …`. */
function builtinImport(_line, clause, id) {
  const get = `process.getBuiltinModule('${id}')`;
  if (!clause.startsWith('{')) return `const ${clause.replace(/^\*\s+as\s+/, '')} = ${get};`;
  const names = clause.slice(1, -1).split(',').map((n) => n.trim()).filter((n) => n !== '');
  const types = names.filter((n) => n.startsWith('type ')).map((n) => n.slice('type '.length));
  const values = names.filter((n) => !n.startsWith('type ')).map((n) => n.replace(/\s+as\s+/, ': '));
  const typeImport = types.length > 0 ? `import type { ${types.join(', ')} } from '${id}'; ` : '';
  return `${typeImport}const { ${values.join(', ')} } = ${get};`;
}

const bundle = {
  entryPoints: { index: 'src/main.ts', 'cli-main': 'src/cli.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  // No keepNames: it wraps every function and class in a naming call at load, about
  // 5% of a tag check's instructions. Nothing reads a function's name; error names
  // are set by the classes themselves.
  keepNames: false,
  legalComments: 'none',
  // Made on first call: most chunks never require anything, yet esbuild's runtime
  // chunk reads `require` when it loads, and making one loads node:module and its
  // source-map code (about 3% of a tag check's instructions).
  banner: {
    js: "let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);",
  },
  logLevel: 'warning',
  plugins: [startModules, actionsUndici, coreOidc, builtinsWithoutFacade],
};
await findStartModules(bundle);
await rm('dist', { recursive: true, force: true });
await build(bundle);

const cliMain = {
  name: 'cli-main',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\.ts$/ }, () => ({ path: './cli-main.js', external: true }));
  },
};
await build({
  entryPoints: { cli: 'src/cli-entry.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'es2015',
  supported: { 'dynamic-import': true },
  format: 'esm',
  plugins: [cliMain],
  logLevel: 'warning',
});
await chmod('dist/cli.js', 0o755);
