// PHP packages from Composer's installed.json: Composer 2's format as Debian's composer
// writes it (truth: `composer show`), Composer 1's from its documentation.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inventoryImage, NO_OS_NOTE } from '../src/scan/inventory.ts';
import { composerAnalyzer } from '../src/scan/inventory/composer.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { comparePackagist } from '../src/scan/version/packagist.ts';
import { buildComposerTree, type ComposerTree } from './support/composer-fixture.ts';
import { run } from './support/exec.ts';
import { InventoryImage } from './support/inventory-image.ts';

const RECORDS = fileURLToPath(new URL('./fixtures/osv/records/', import.meta.url));
const COMPOSER1 = readFileSync(new URL('./fixtures/inventory/composer/installed-composer1.json', import.meta.url));

let tree: ComposerTree;
before(async () => {
  tree = await buildComposerTree();
});
after(() => rmSync(tree.dir, { recursive: true, force: true }));

describe('Composer installed.json', () => {
  it('Composer 2, written by Debian\'s composer: missing, extra and wrong versions all zero against `composer show`', async () => {
    assert.ok(tree.truth.size >= 5);
    const image = new InventoryImage();
    const layer = await image.layer([{ name: 'var/www/app/vendor/composer/installed.json', content: tree.installedJson }]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(notes, [NO_OS_NOTE]);
    const got = new Map(packages.map((p) => [p.name, p.version]));
    const missing = [...tree.truth.keys()].filter((k) => !got.has(k));
    const extra = [...got.keys()].filter((k) => !tree.truth.has(k));
    const wrong = [...tree.truth].filter(([k, v]) => got.has(k) && got.get(k) !== v).map(([k]) => k);
    assert.deepEqual({ missing, extra, wrong }, { missing: [], extra: [], wrong: [] });
    for (const pkg of packages) {
      assert.equal(pkg.ecosystem, 'Packagist');
      assert.equal(pkg.layer, layer.digest);
      assert.equal(pkg.path, '/var/www/app/vendor/composer/installed.json');
      const [vendor, name] = pkg.name.split('/');
      assert.equal(pkg.purl, `pkg:composer/${vendor}/${name}@${pkg.version}`);
    }
  });

  it('reads installed.json under any vendor-dir: Nextcloud\'s 3rdparty sets "vendor-dir": ".", so its list is 3rdparty/composer/installed.json', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'usr/src/nextcloud/3rdparty/composer/installed.json', content: tree.installedJson }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(new Map(packages.map((p) => [p.name, p.version])), tree.truth);
    assert.ok(packages.every((p) => p.path === '/usr/src/nextcloud/3rdparty/composer/installed.json'));
  });

  it('Composer 1 (a bare array, from the documentation), names lowercased as Packagist has them', () => {
    const { packages, notes } = composerAnalyzer.parse('app/vendor/composer/installed.json', COMPOSER1);
    assert.deepEqual(notes, []);
    assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`), ['league/flysystem@1.1.3', 'league/mime-type-detection@1.5.1', 'symfony/polyfill-ctype@v1.18.1']);
  });

  it('what is not an installed.json is a note', () => {
    assert.match(composerAnalyzer.parse('vendor/composer/installed.json', Buffer.from('{"dev": true}')).notes[0] ?? '', /neither a package list/);
    assert.match(composerAnalyzer.parse('vendor/composer/installed.json', Buffer.from('[{"name": "a/b"}]')).notes[0] ?? '', /1 entries without a name or version/);
    assert.equal(composerAnalyzer.interest('srv/vendor/composer/installed.php'), undefined);
  });

  it('matches the real advisory GHSA-9f46-5r25-5wfm (league/flysystem before 1.1.4)', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'app/vendor/composer/installed.json', content: COMPOSER1 }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const { matches } = await matchPackages(packages, { vulnDb: RECORDS });
    assert.deepEqual(matches.map((m) => [m.record.id, m.package.name, m.fixed]), [['GHSA-9f46-5r25-5wfm', 'league/flysystem', '1.1.4']]);
  });
});

describe('Packagist version order against PHP\'s version_compare', () => {
  it('agrees with php on every pair (Composer\'s leading v dropped first)', async () => {
    const versions = [
      '1.0-dev', '1.0a1', '1.0b1', '1.0RC1', '1.0', '1.0pl1', '5.2', '5.2.0', '1.0.0', 'v1.0.0', '1.0.0-beta.2', '1.0.0-beta.10', '2.0.0-alpha',
      '2.0.0-alpha1', '1.0.1', '1.0-1', '1.0.x-dev', 'dev-master', '1.0.0.0', '1..2', '1.2', '6.4.0-BETA1', '6.4.0-RC1', '6.4.0', 'v6.4.10',
      '6.4.9', '0.9.9', '10.0', '3.0.0-patch1', '3.0.0-p1', '3.0.0-pl2', '1.0-alpha.beta', '1.0+build', '1.1.3', '1.1.4', 'v5.4.53', '5.4.46',
    ];
    const php = versions.map((v) => v.replace(/^v(?=\d)/, ''));
    const script = '$v = array_slice($argv, 1); foreach ($v as $a) { $r = []; foreach ($v as $b) { $r[] = version_compare($a, $b); } echo implode(" ", $r), "\\n"; }';
    const { stdout } = await run('php', ['-r', script, '--', ...php]);
    const rows = stdout.trim().split('\n').map((line) => line.split(' ').map(Number));
    for (const [i, a] of versions.entries()) {
      for (const [j, b] of versions.entries()) assert.equal(comparePackagist(a, b), rows[i]![j], `${a} vs ${b}`);
    }
  });
});
