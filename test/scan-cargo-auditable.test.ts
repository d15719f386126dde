// Rust binaries with cargo-auditable data: a real binary linked by rustc with the
// `.dep-v0` section cargo-auditable would add (test/support/cargo-fixture.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { inventoryImage, NO_OS_NOTE } from '../src/scan/inventory.ts';
import { cargoAuditableAnalyzer, CargoAuditableReader } from '../src/scan/inventory/cargo-auditable.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { AUDIT_JSON, buildRustBinaries, dumpSection, type RustBinaries } from './support/cargo-fixture.ts';
import { run } from './support/exec.ts';
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

/** The binary, alone in an image layer, yields exactly the crates binutils finds, and no note. */
async function assertReadsTruth(binary: string): Promise<void> {
  const image = new InventoryImage();
  await image.layer([{ name: 'usr/local/bin/app', content: readFileSync(binary) }]);
  const { packages, notes } = await inventoryImage(image.source, image.manifest);
  assert.deepEqual(notes, [NO_OS_NOTE]);
  assert.deepEqual(new Map(packages.map((p) => [p.name, p.version])), truth);
}

describe('cargo-auditable', () => {
  it('reads the crates.io crates of a binary with debug info and of its stripped copy, from an image layer', async () => {
    const image = new InventoryImage();
    const layer = await image.layer([
      { name: 'usr/local/bin/hello', content: readFileSync(binaries.plain) },
      { name: 'usr/bin/hello-stripped', content: readFileSync(binaries.stripped) },
    ]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(notes, [NO_OS_NOTE]);
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

  it('reads .dep-v0 from behind a symbol table of more than 512 KiB (a large app built with debug info: the linker puts it after the debug sections, before .symtab and .strtab)', async () => {
    // 12,000 functions stand in for a large crate graph: .symtab and .strtab come to 1.3 MB.
    const dir = mkdtempSync(join(tmpdir(), 'immutag-rust-symbols-'));
    try {
      const n = 12000;
      const fns = Array.from({ length: n }, (_, i) => `#[inline(never)] pub fn a_long_function_name_for_the_symbol_table_${i}(x: u64) -> u64 { x.wrapping_mul(${i + 3}) ^ ${i} }\n`).join('');
      const table = `static FNS: [fn(u64) -> u64; ${n}] = [${Array.from({ length: n }, (_, i) => `a_long_function_name_for_the_symbol_table_${i}`).join(',')}];\n`;
      writeFileSync(join(dir, 'main.rs'), `${fns}${table}fn main() { let a = std::env::args().count() as u64; let mut s = 0u64; for f in FNS.iter() { s = s.wrapping_add(f(a)); } println!("{}", s); }\n`);
      const binary = join(dir, 'app');
      await run('rustc', ['-g', '-C', 'opt-level=1', '-C', `link-arg=${binaries.depObject}`, '-o', binary, 'main.rs'], { cwd: dir });
      const sections = (await run('readelf', ['-S', '-W', binary])).stdout;
      const size = (name: string) => Number.parseInt(new RegExp(`\\${name}\\s+\\w+\\s+\\w+\\s+\\w+\\s+(\\w+)`).exec(sections)![1]!, 16);
      assert.ok(size('.symtab') + size('.strtab') > 512 * 1024, 'the symbol table is past the old window');
      await assertReadsTruth(binary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so when .dep-v0, or the section names, lie where the stream was not kept (17 MiB of another section between them and the section headers)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'immutag-rust-padded-'));
    try {
      writeFileSync(join(dir, 'pad'), Buffer.alloc(17 * 1024 * 1024));
      const padded = join(dir, 'padded');
      await run('objcopy', ['--add-section', `.pad=${join(dir, 'pad')}`, binaries.plain, padded]);
      const bytes = readFileSync(padded);
      // The same binary with its section-name table said to be .dep-v0's (e_shstrndx), which lies as far.
      const sections = (await run('readelf', ['-S', '-W', padded])).stdout;
      const depIndex = Number(/\[\s*(\d+)\]\s+\.dep-v0\s/.exec(sections)![1]);
      const renamed = Buffer.from(bytes);
      renamed.writeUInt16LE(depIndex, 62);
      const image = new InventoryImage();
      await image.layer([{ name: 'usr/bin/padded', content: bytes }, { name: 'usr/bin/renamed', content: renamed }]);
      const { packages, notes } = await inventoryImage(image.source, image.manifest);
      assert.deepEqual(packages, []);
      assert.deepEqual(notes, [
        '/usr/bin/padded: has cargo-auditable data (.dep-v0) where it was not read (more than 1 MiB after the loaded segments and 16 MiB before the section headers); its crates are not listed.',
        '/usr/bin/renamed: its section names lie more than 16 MiB before the section headers and were not read; cargo-auditable data (.dep-v0), if it has any, is not listed.',
        NO_OS_NOTE,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads .dep-v0 across the seam of its two windows (they meet whenever less than 17 MiB follows the loaded segments): every byte was kept, yet it was not found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'immutag-rust-seam-'));
    try {
      // A non-allocated section of `pad` bytes linked before .dep-v0 moves it to where the 1 MiB window after the loaded segments ends.
      const link = async (pad: number): Promise<string> => {
        writeFileSync(join(dir, 'pad.s'), `.section .apad,"",@progbits\n.skip ${pad}\n`);
        await run('as', ['pad.s', '-o', 'pad.o'], { cwd: dir });
        writeFileSync(join(dir, 'main.rs'), 'fn main() { println!("hello, auditable"); }\n');
        await run('rustc', ['-C', 'strip=debuginfo', '-C', `link-arg=${join(dir, 'pad.o')}`, '-C', `link-arg=${binaries.depObject}`, '-o', join(dir, 'app'), 'main.rs'], { cwd: dir });
        return join(dir, 'app');
      };
      const layout = async (binary: string) => {
        const sections = (await run('readelf', ['-S', '-W', binary])).stdout;
        const offset = (name: string) => Number.parseInt(new RegExp(`\\${name}\\s+\\w+\\s+\\w+\\s+(\\w+)`).exec(sections)![1]!, 16);
        const loads = [...(await run('readelf', ['-l', '-W', binary])).stdout.matchAll(/LOAD\s+0x(\w+)\s+\S+\s+\S+\s+0x(\w+)/g)];
        return { apad: offset('.apad'), dep: offset('.dep-v0'), loadedEnd: Math.max(...loads.map((m) => Number.parseInt(m[1]!, 16) + Number.parseInt(m[2]!, 16))) };
      };
      const first = await layout(await link(1_000_000));
      const binary = await link(first.loadedEnd + 1024 * 1024 - 96 - first.apad);
      const { dep, loadedEnd } = await layout(binary);
      assert.equal(loadedEnd + 1024 * 1024 - dep, 96, '.dep-v0 begins 96 bytes before the seam');
      await assertReadsTruth(binary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
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
