// npm and Python packages installed in an image, from their real metadata files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { npmAnalyzer } from '../src/scan/inventory/npm.ts';
import { normalisePythonName, pythonAnalyzer } from '../src/scan/inventory/python.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { buildZip } from './support/zip-writer.ts';

const read = (path: string): Buffer => readFileSync(new URL(`./fixtures/inventory/${path}`, import.meta.url));

describe('npm', () => {
  const cases: Array<{ fixture: string; path: string; name: string; version: string; licenses: string[] }> = [
    { fixture: 'npm/tar-stream.package.json', path: 'app/node_modules/tar-stream/package.json', name: 'tar-stream', version: '3.2.2', licenses: ['MIT'] },
    { fixture: 'npm/actions-core.package.json', path: 'app/node_modules/@actions/core/package.json', name: '@actions/core', version: '3.0.1', licenses: ['MIT'] },
    { fixture: 'npm/qrcode-terminal.package.json', path: 'usr/lib/node_modules/npm/node_modules/qrcode-terminal/package.json', name: 'qrcode-terminal', version: '0.12.0', licenses: ['Apache 2.0'] },
  ];
  for (const { fixture, path, name, version, licenses } of cases) {
    it(`${path} → ${name}@${version}`, () => {
      assert.equal(npmAnalyzer.interest(path), 'read');
      const { packages, notes } = npmAnalyzer.parse(path, read(fixture));
      assert.equal(packages.length, 1);
      assert.equal(packages[0]!.name, name);
      assert.equal(packages[0]!.version, version);
      assert.deepEqual(packages[0]!.licenses, licenses);
      assert.equal(packages[0]!.namespace, name.startsWith('@') ? '@actions' : undefined);
      assert.deepEqual(notes, []);
    });
  }

  const paths: Array<[string, boolean]> = [
    ['node_modules/lodash/package.json', true],
    ['srv/app/node_modules/a/node_modules/b/package.json', true],
    ['srv/app/node_modules/.pnpm/lodash@4.17.21/node_modules/lodash/package.json', true],
    ['srv/app/node_modules/@types/node/package.json', true],
    ['srv/app/package.json', false],
    ['srv/app/node_modules/lodash/fp/package.json', false],
    ['srv/app/node_modules/.pnpm/package.json', false],
    ['srv/app/node_modules/@scope/package.json', false],
    ['srv/app/node_modules/.bin/package.json', false],
    ['srv/app/node_modules/lodash/package.json.bak', false],
    // Yarn's pnpm linker: node_modules/minimist -> .store/minimist-npm-1.2.5-ced0e1f617/package.
    ['app/node_modules/.store/minimist-npm-1.2.5-ced0e1f617/package/package.json', true],
    ['app/node_modules/.store/debug-virtual-65780c8692/package/package.json', true],
    ['app/node_modules/.store/minimist-npm-1.2.5-ced0e1f617/package.json', false],
    ['app/node_modules/.store/minimist-npm-1.2.5-ced0e1f617/package/test/package.json', false],
  ];
  for (const [path, installed] of paths) {
    it(`${path}: ${installed ? 'an installed package' : 'not a package'}`, () => {
      assert.equal(npmAnalyzer.interest(path), installed ? 'read' : undefined);
    });
  }

  const malformed: Array<{ name: string; json: string; note?: RegExp }> = [
    { name: 'invalid JSON', json: '{"name": "x", ', note: /not valid JSON/ },
    { name: 'a JSON array', json: '[1,2]', note: /not a JSON object/ },
    { name: 'no version (a linked workspace package)', json: '{"name":"local-lib","private":true}' },
    { name: 'a non-string version', json: '{"name":"x","version":1}' },
  ];
  for (const { name, json, note } of malformed) {
    it(`${name}: no package${note ? ', a note' : ''}`, () => {
      const analysis = npmAnalyzer.parse('node_modules/x/package.json', Buffer.from(json));
      assert.deepEqual(analysis.packages, []);
      if (note) assert.match(analysis.notes[0] ?? '', note);
      else assert.deepEqual(analysis.notes, []);
    });
  }
});

describe('npm under Yarn Plug\'n\'Play', () => {
  it('reads the packages in .yarn/cache zips (there is no node_modules), scoped ones too', async () => {
    const cached = (name: string, version: string) => buildZip([
      { name: `node_modules/${name}/package.json`, data: JSON.stringify({ name, version, license: 'MIT' }) },
      { name: `node_modules/${name}/index.js`, data: 'module.exports = 1;\n' },
      { name: `node_modules/${name}/node_modules/inner/package.json`, data: JSON.stringify({ name: 'inner', version: '1.0.0' }) },
    ]);
    const image = new InventoryImage();
    await image.layer([
      { name: 'app/.pnp.cjs', content: '/* pnp */\n' },
      { name: 'app/.yarn/cache/lodash-npm-4.17.20-5e2b3bd8b1-b31afa09.zip', content: cached('lodash', '4.17.20') },
      { name: 'app/.yarn/cache/@babel-core-npm-7.0.0-aa-bb.zip', content: cached('@babel/core', '7.0.0') },
      { name: 'app/not-yarn/lodash.zip', content: cached('lodash', '1.0.0') },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => `${p.ecosystem} ${p.name}@${p.version}`).sort(),
      ['npm @babel/core@7.0.0', 'npm inner@1.0.0', 'npm inner@1.0.0', 'npm lodash@4.17.20']);
    assert.match(packages.find((p) => p.name === 'lodash')?.path ?? '', /^\/app\/\.yarn\/cache\/lodash-npm-4\.17\.20-.*\.zip$/);
  });
});

describe('npm from Yarn 4\'s global cache', () => {
  // A zip Yarn 4.18.1 wrote with its default settings (enableGlobalCache: true) into
  // ~/.yarn/berry/cache; the app's .pnp.cjs resolves minimist to it. There is no
  // .yarn/cache in the project, and such an app had no npm packages and passed.
  const zip = readFileSync(new URL('./fixtures/inventory/npm/minimist-npm-1.2.5-ced0e1f617-10c0.zip', import.meta.url));
  it('reads the zips in ~/.yarn/berry/cache, and ones named as Yarn names them in a cacheFolder of another name', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'app/.pnp.cjs', content: '/* pnp */\n' },
      { name: 'root/.yarn/berry/cache/minimist-npm-1.2.5-ced0e1f617-10c0.zip', content: zip },
      { name: 'opt/yarn-cache/minimist-npm-1.2.5-ced0e1f617-10c0.zip', content: zip },
      { name: 'app/not-yarn/minimist.zip', content: zip },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => `${p.path} ${p.name}@${p.version}`).sort(), [
      '/opt/yarn-cache/minimist-npm-1.2.5-ced0e1f617-10c0.zip minimist@1.2.5',
      '/root/.yarn/berry/cache/minimist-npm-1.2.5-ced0e1f617-10c0.zip minimist@1.2.5',
    ]);
  });
});

describe('npm from Yarn\'s cache without Plug\'n\'Play', () => {
  // Under Yarn's node-modules (or pnpm) linker the cache, global by default in Yarn 4,
  // is only a download cache: node_modules is what Node loads, and is read.
  const zip = readFileSync(new URL('./fixtures/inventory/npm/minimist-npm-1.2.5-ced0e1f617-10c0.zip', import.meta.url));
  const installed = JSON.stringify({ name: 'minimist', version: '1.2.5' });
  it('a zip left in the cache (a dev dependency after yarn workspaces focus --production) is not an installed package; one node_modules holds is listed once', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'app/.yarnrc.yml', content: 'nodeLinker: node-modules\n' },
      { name: 'app/node_modules/minimist/package.json', content: installed },
      { name: 'root/.yarn/berry/cache/minimist-npm-1.2.5-ced0e1f617-10c0.zip', content: zip },
      { name: 'root/.yarn/berry/cache/minimist-npm-1.2.5-ced0e1f617-10c0.zip', content: zip },
    ]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => `${p.path} ${p.name}@${p.version}`), ['/app/node_modules/minimist/package.json minimist@1.2.5']);
    assert.ok(notes.includes('1 Yarn cache zip(s) not counted as installed: no app in the image runs under Plug\'n\'Play (no .pnp.cjs), so Node loads node_modules, which is read.'), notes.join('\n'));
  });
});

describe('Yarn\'s Plug\'n\'Play loader deleted by a later layer', () => {
  const zip = readFileSync(new URL('./fixtures/inventory/npm/minimist-npm-1.2.5-ced0e1f617-10c0.zip', import.meta.url));
  const cache = { name: 'root/.yarn/berry/cache/minimist-npm-1.2.5-ced0e1f617-10c0.zip', content: zip };
  it('a whiteout (yarn install under nodeLinker: node-modules removes .pnp.cjs) or an opaque directory leaves no Plug\'n\'Play app: cache zips do not count', async () => {
    for (const removal of [[{ name: 'app/.wh..pnp.cjs' }], [{ name: 'app/.wh..wh..opq' }, { name: 'app/package.json', content: '{}' }]]) {
      const image = new InventoryImage();
      await image.layer([{ name: 'app/.pnp.cjs', content: '/* pnp */\n' }]);
      await image.layer([...removal, cache]);
      const { packages } = await inventoryImage(image.source, image.manifest);
      assert.deepEqual(packages.map((p) => p.name), [], JSON.stringify(removal));
    }
    const kept = new InventoryImage();
    await kept.layer([{ name: 'app/.pnp.cjs', content: '/* pnp */\n' }]);
    await kept.layer([{ name: 'app/.wh.other.js' }, cache]);
    assert.deepEqual((await inventoryImage(kept.source, kept.manifest)).packages.map((p) => p.name), ['minimist']);
  });
});

describe('Python', () => {
  const cases: Array<{ fixture: string; path: string; name: string; version: string; licenses?: string[] }> = [
    { fixture: 'python/PyYAML-6.0.METADATA', path: 'usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA', name: 'pyyaml', version: '6.0', licenses: ['MIT'] },
    { fixture: 'python/pip-24.2.METADATA', path: 'usr/local/lib/python3.13/site-packages/pip-24.2.dist-info/METADATA', name: 'pip', version: '24.2', licenses: ['MIT'] },
    { fixture: 'python/lazr.restfulclient-0.14.5.PKG-INFO', path: 'usr/lib/python3/dist-packages/lazr.restfulclient-0.14.5.egg-info/PKG-INFO', name: 'lazr-restfulclient', version: '0.14.5', licenses: ['LGPL v3'] },
    { fixture: 'python/cupshelpers-1.0-py3.10.egg-info', path: 'usr/lib/python3/dist-packages/cupshelpers-1.0-py3.10.egg-info', name: 'cupshelpers', version: '1.0' },
  ];
  for (const { fixture, path, name, version, licenses } of cases) {
    it(`${path} → ${name} ${version}`, () => {
      assert.equal(pythonAnalyzer.interest(path), 'read');
      const { packages, notes } = pythonAnalyzer.parse(path, read(fixture));
      assert.equal(packages.length, 1);
      assert.equal(packages[0]!.name, name);
      assert.equal(packages[0]!.version, version);
      assert.deepEqual(packages[0]!.licenses, licenses);
      assert.deepEqual(notes, []);
    });
  }

  const names: Array<[string, string]> = [
    ['PyYAML', 'pyyaml'],
    ['lazr.restfulclient', 'lazr-restfulclient'],
    ['zope.interface', 'zope-interface'],
    ['Foo__Bar-.-baz', 'foo-bar-baz'],
    ['typing_extensions', 'typing-extensions'],
  ];
  for (const [raw, normalised] of names) {
    it(`PEP 503: ${raw} → ${normalised}`, () => assert.equal(normalisePythonName(raw), normalised));
  }

  it('reads License-Expression (core metadata 2.4) before License', () => {
    const text = 'Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nLicense: long legacy text\nLicense-Expression: MIT OR Apache-2.0\n\nbody\nName: not-a-header\n';
    const { packages } = pythonAnalyzer.parse('x.dist-info/METADATA', Buffer.from(text));
    assert.deepEqual(packages, [{ type: 'pypi', name: 'demo', version: '1.0', licenses: ['MIT OR Apache-2.0'] }]);
  });

  it('stops at the first blank line: the description cannot override the headers', () => {
    const text = 'Name: real\nVersion: 1\n\nName: fake\nVersion: 2\n';
    const { packages } = pythonAnalyzer.parse('x.dist-info/METADATA', Buffer.from(text));
    assert.equal(packages[0]?.name, 'real');
  });

  it('notes metadata without Name or Version', () => {
    const { packages, notes } = pythonAnalyzer.parse('x.dist-info/METADATA', Buffer.from('Summary: nothing\n'));
    assert.deepEqual(packages, []);
    assert.match(notes[0] ?? '', /no Name or Version/);
  });

  it('reads a zipped egg (easy_install, setup.py install: imported from the zip) by its EGG-INFO/PKG-INFO', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'usr/local/lib/python3.11/site-packages/urllib3-1.24.1-py3.11.egg', content: read('python/urllib3-1.24.1-py3.11.egg') },
      { name: 'usr/local/lib/python3.11/site-packages/easy-install.pth', content: './urllib3-1.24.1-py3.11.egg\n' },
      { name: 'srv/data/notes.egg', content: 'not a zip' },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => [p.ecosystem, p.name, p.version, p.path, p.licenses]), [
      ['PyPI', 'urllib3', '1.24.1', '/usr/local/lib/python3.11/site-packages/urllib3-1.24.1-py3.11.egg', ['MIT']],
    ]);
  });

  it('reads the dependencies inside a zipapp (pip install --target app, python -m zipapp app), from their dist-info METADATA', async () => {
    // Built by Python's own zipapp module, with a shebang, from the layout pip --target leaves.
    const dir = mkdtempSync(join(tmpdir(), 'immutag-zipapp-'));
    try {
      const app = join(dir, 'app');
      mkdirSync(join(app, 'pip-24.2.dist-info'), { recursive: true });
      mkdirSync(join(app, 'PyYAML-6.0.dist-info'));
      writeFileSync(join(app, 'pip-24.2.dist-info/METADATA'), read('python/pip-24.2.METADATA'));
      writeFileSync(join(app, 'PyYAML-6.0.dist-info/METADATA'), read('python/PyYAML-6.0.METADATA'));
      writeFileSync(join(app, '__main__.py'), 'import yaml\n');
      execFileSync('python3', ['-m', 'zipapp', app, '-o', join(dir, 'app.pyz'), '-p', '/usr/bin/env python3']);
      const image = new InventoryImage();
      await image.layer([{ name: 'srv/app.pyz', content: readFileSync(join(dir, 'app.pyz')) }, { name: 'srv/notes.pyz', content: 'not a zip' }]);
      const { packages } = await inventoryImage(image.source, image.manifest);
      assert.deepEqual(packages.map((p) => [p.ecosystem, p.name, p.version, p.path]).sort(), [
        ['PyPI', 'pip', '24.2', '/srv/app.pyz'], ['PyPI', 'pyyaml', '6.0', '/srv/app.pyz'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const paths: Array<[string, boolean]> = [
    ['usr/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA', true],
    ['opt/venv/lib/python3.11/site-packages/six-1.16.0.egg-info/PKG-INFO', true],
    ['usr/lib/python3/dist-packages/foo.egg-info', true],
    // An egg installed unzipped (`python setup.py install`, easy_install).
    ['usr/local/lib/python3.8/site-packages/urllib3-1.24.1-py3.8.egg/EGG-INFO/PKG-INFO', true],
    ['usr/local/lib/python3.8/site-packages/urllib3-1.24.1-py3.8.egg/EGG-INFO/SOURCES.txt', false],
    ['src/EGG-INFO/PKG-INFO', false],
    ['usr/lib/python3/dist-packages/requests-2.32.3.dist-info/RECORD', false],
    ['usr/lib/python3/dist-packages/requests/METADATA', false],
    ['src/PKG-INFO', false],
  ];
  for (const [path, read] of paths) {
    it(`${path}: ${read ? 'read' : 'ignored'}`, () => assert.equal(pythonAnalyzer.interest(path), read ? 'read' : undefined));
  }
});
