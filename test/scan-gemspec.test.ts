// Ruby gems against the truth of Ruby itself: every gem specification Debian's ruby
// packages install (libruby's bundled and default gems, ruby-rack's in
// rubygems-integration), loaded by `Gem::Specification.load`; and RubyGems' version
// order against `Gem::Version#<=>` on the same pairs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inventoryImage, NO_OS_NOTE } from '../src/scan/inventory.ts';
import { gemspecAnalyzer } from '../src/scan/inventory/gemspec.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { compareRubyGems } from '../src/scan/version/rubygems.ts';
import { run } from './support/exec.ts';
import { InventoryImage } from './support/inventory-image.ts';

const RECORDS = fileURLToPath(new URL('./fixtures/osv/records/', import.meta.url));
const RUBY_GEMS = '/usr/lib/ruby/gems';
const INTEGRATION = '/usr/share/rubygems-integration/all/specifications';

function gemspecs(): string[] {
  const dirs = [INTEGRATION];
  for (const version of readdirSync(RUBY_GEMS)) dirs.push(join(RUBY_GEMS, version, 'specifications'), join(RUBY_GEMS, version, 'specifications/default'));
  return dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.gemspec')).map((f) => join(dir, f)));
}

let files: string[];
let truth: Map<string, string>;

before(async () => {
  files = gemspecs();
  const script = 'ARGV.each { |f| s = Gem::Specification.load(f); puts [f, s.name, s.version.to_s].join("\\t") }';
  const { stdout } = await run('ruby', ['-e', script, ...files]);
  truth = new Map(stdout.trim().split('\n').map((line) => {
    const [file, name, version] = line.split('\t');
    return [file!, `${name}@${version}`];
  }));
});

describe('gem specifications against Gem::Specification.load', () => {
  it('every gemspec Debian installed: missing, extra and wrong versions all zero', async () => {
    assert.ok(files.length >= 40, `${files.length} gemspecs`);
    assert.equal(truth.size, files.length);
    const image = new InventoryImage();
    const layer = await image.layer(files.map((f) => ({ name: f.slice(1), content: readFileSync(f) })));
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(notes, [NO_OS_NOTE]);
    const got = new Map(packages.map((p) => [p.path, `${p.name}@${p.version}`]));
    const missing = [...truth.keys()].filter((f) => !got.has(f));
    const extra = [...got.keys()].filter((f) => !truth.has(f));
    const wrong = [...truth].filter(([f, v]) => got.has(f) && got.get(f) !== v).map(([f]) => f);
    assert.deepEqual({ missing, extra, wrong }, { missing: [], extra: [], wrong: [] });
    for (const pkg of packages) {
      assert.equal(pkg.ecosystem, 'RubyGems');
      assert.equal(pkg.layer, layer.digest);
      assert.equal(pkg.purl, `pkg:gem/${pkg.name}@${pkg.version}`);
    }
  });

  it('reads the older %q{} form and refuses what names no gem', () => {
    const old = gemspecAnalyzer.parse('var/lib/gems/2.5.0/specifications/rack-1.6.4.gemspec', Buffer.from('Gem::Specification.new do |s|\n  s.name = %q{rack}\n  s.version = "1.6.4"\nend\n'));
    assert.deepEqual(old.packages.map((p) => `${p.name}@${p.version}`), ['rack@1.6.4']);
    assert.match(gemspecAnalyzer.parse('x/specifications/y.gemspec', Buffer.from('# empty\n')).notes[0] ?? '', /no name or version/);
    assert.equal(gemspecAnalyzer.interest('usr/local/bundle/specifications/rack-3.0.0.gemspec'), 'read');
    assert.equal(gemspecAnalyzer.interest('usr/local/lib/ruby/gems/3.3.0/specifications/default/json-2.7.1.gemspec'), 'read');
    assert.equal(gemspecAnalyzer.interest('srv/app/myapp.gemspec'), undefined);
  });

  it('matches the real advisory GHSA-vg3r-rm7w-2xgh (rexml before 3.2.7) against Debian 12\'s rexml 3.2.5', async () => {
    const rexml = files.filter((f) => /\/rexml-[\d.]+\.gemspec$/.test(f));
    assert.equal(rexml.length, 1);
    const image = new InventoryImage();
    await image.layer(rexml.map((f) => ({ name: f.slice(1), content: readFileSync(f) })));
    const { packages } = await inventoryImage(image.source, image.manifest);
    const { matches } = await matchPackages(packages, { vulnDb: RECORDS });
    assert.deepEqual(matches.map((m) => [m.record.id, m.package.name, m.fixed]), [['GHSA-vg3r-rm7w-2xgh', 'rexml', '3.2.7']]);
  });
});

describe('RubyGems version order against Gem::Version', () => {
  it('agrees with Ruby on every pair of a mixed list', async () => {
    const versions = [
      '0', '', '0.0.beta.1', '0.beta.1', '0.0.beta', '1', '1.0', '1.0.0', '1.0.a', '1.0.a1', '1.0.b', '1.0.rc1', '1.0.0.pre', '1.0-pre',
      '1.0-rc.1', '1.8.2', '1.8.2.a', '1.8.2.a9', '1.8.2.a10', '1.8.2.b', '1.9', '1.10', '2.2.22', '2.2.3', '3.2.5', '3.2.7', '3.2.7.1',
      '5.a', '5.0.0.rc2', '5.x', '5.0.0', '6.1.7.10', '7.0.4.1', '7.0.4', '1.0.0.alpha', '1.0.0.ALPHA', '1.0.0.beta2', '1.0.0.beta10',
      '10.0', '9.99.99', '1.2.3.4.5.6', '2.0.0.pre.1', '0.0.1',
      // Digit runs past 2^53 (a timestamp-sized segment): Ruby's Integers are exact.
      '2.0.20240101000000001', '2.0.20240101000000000', '1.9007199254740993', '1.9007199254740992', '1.09007199254740993',
    ];
    const script = 'v = ARGV.map { |s| Gem::Version.new(s) }; v.each { |a| puts v.map { |b| a <=> b }.join(" ") }';
    const { stdout } = await run('ruby', ['-e', script, ...versions]);
    const rows = stdout.trim().split('\n').map((line) => line.split(' ').map(Number));
    let pairs = 0;
    for (const [i, a] of versions.entries()) {
      for (const [j, b] of versions.entries()) {
        assert.equal(compareRubyGems(a, b), rows[i]![j], `${a} <=> ${b}`);
        pairs++;
  }
    }
    assert.equal(pairs, versions.length ** 2);
  });
});
