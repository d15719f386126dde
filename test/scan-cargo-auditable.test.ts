// Rust binaries with cargo-auditable data: a real binary linked by rustc with the
// `.dep-v0` section cargo-auditable would add (test/support/cargo-fixture.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { inventoryImage } from '../src/scan/inventory.ts';
import { cargoAuditableAnalyzer, CargoAuditableReader } from '../src/scan/inventory/cargo-auditable.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { AUDIT_JSON, buildRustBinaries, dumpSection, type RustBinaries } from './support/cargo-fixture.ts';
import { InventoryImage } from './support/inventory-image.ts';

const RECORDS = fileURLToPath(new URL('./fixtures/osv/records/', import.meta.url));

let binaries: RustBinaries;
let truth: Map<string, string>;

before(async () => {
  binaries = await buildRustBinaries();
  // The truth: what binutils finds in the section, decompressed; crates.io crates only.
  const info = JSON.parse(inflateSync(await dumpSection(binaries.plain)).toString('utf8')) as { packages: Array<{ name: string; version: string; source: string }> };
  assert.equal(JSON.stringify(info), JSON.stringify(JSON.parse(AUDIT_JSON)));
  truth = new Map(info.packages.filter((p) => p.source === 'crates.io').map((p) => [p.name, p.version]));
});

describe('cargo-auditable', () => {
  it('reads the crates.io crates of a binary with debug info and of its stripped copy, from an image layer', async () => {
    const image = new InventoryImage();
    const layer = await image.layer([
      { name: 'usr/local/bin/hello', content: readFileSync(binaries.plain) },
      { name: 'usr/bin/hello-stripped', content: readFileSync(binaries.stripped) },
    ]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(notes, []);
    for (const path of ['/usr/local/bin/hello', '/usr/bin/hello-stripped']) {
      const got = new Map(packages.filter((p) => p.path === path).map((p) => [p.name, p.version]));
      const missing = [...truth.keys()].filter((k) => !got.has(k));
      const extra = [...got.keys()].filter((k) => !truth.has(k));
      const wrong = [...truth].filter(([k, v]) => got.has(k) && got.get(k) !== v).map(([k]) => k);
      assert.deepEqual({ missing, extra, wrong }, { missing: [], extra: [], wrong: [] }, path);
    }
    for (const pkg of packages) {
      assert.equal(pkg.ecosystem, 'crates.io');
      assert.equal(pkg.layer, layer.digest);
      assert.equal(pkg.purl, `pkg:cargo/${pkg.name}@${pkg.version}`);
    }
  });

  it('the same in any chunking; a binary without the section has no result, a text file is dropped at once', () => {
    const bytes = readFileSync(binaries.plain);
    const whole = cargoAuditableAnalyzer.parse('hello', bytes);
    for (const size of [4093, 65536]) {
      const reader = new CargoAuditableReader('/hello', bytes.length);
      for (let at = 0; at < bytes.length; at += size) if (!reader.write(bytes.subarray(at, at + size))) break;
      reader.end();
      assert.deepEqual(reader.result(), whole, `chunks of ${size}`);
    }
    const plain = new CargoAuditableReader('/usr/bin/true', 0);
    const trueBytes = readFileSync('/usr/bin/true');
    const other = new CargoAuditableReader('/usr/bin/true', trueBytes.length);
    other.write(trueBytes);
    other.end();
    assert.equal(other.result(), undefined);
    assert.equal(plain.write(Buffer.from('#!/bin/sh\necho not an ELF\n')), false);
  });

  it('matches the real advisory RUSTSEC-2021-0003 (smallvec 1.0.0 to before 1.6.1)', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'app/hello', content: readFileSync(binaries.stripped) }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const { matches } = await matchPackages(packages, { vulnDb: RECORDS });
    assert.deepEqual(matches.map((m) => [m.record.id, m.package.name, m.fixed]), [['RUSTSEC-2021-0003', 'smallvec', '1.6.1']]);
  });
});
