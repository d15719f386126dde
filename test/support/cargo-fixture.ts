// A real Rust binary carrying cargo-auditable data: the documented JSON, compressed,
// assembled (`as`) into a non-allocated `.dep-v0` section and linked by rustc, as
// cargo-auditable does (test/fixtures/inventory/cargo/README.md). Built once per machine.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { run } from './exec.ts';

export const AUDIT_JSON = readFileSync(new URL('../fixtures/inventory/cargo/audit-data.json', import.meta.url), 'utf8').trim();

export interface RustBinaries {
  /** With debug info: `.dep-v0` lies after megabytes of it, just before the section headers. */
  plain: string;
  /** Stripped: `.dep-v0` right after the loaded segments. */
  stripped: string;
  /** The `.dep-v0` section as an object file, to link into other programs. */
  depObject: string;
}

export async function buildRustBinaries(): Promise<RustBinaries> {
  const { stdout } = await run('rustc', ['--version']);
  const dir = join(tmpdir(), `immutag-cargo-fixture-${stdout.trim().replace(/\W+/g, '-')}`);
  const binaries = { plain: join(dir, 'hello'), stripped: join(dir, 'hello-stripped'), depObject: join(dir, 'dep.o') };
  if (existsSync(binaries.plain) && existsSync(binaries.stripped) && existsSync(binaries.depObject) && readFileSync(join(dir, 'audit.json'), 'utf8') === AUDIT_JSON) return binaries;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'audit.json'), AUDIT_JSON);
  writeFileSync(join(dir, 'audit.zlib'), deflateSync(Buffer.from(AUDIT_JSON), { level: 9 }));
  writeFileSync(join(dir, 'dep.s'), '.section .dep-v0,"",@progbits\n.globl _AUDITABLE_VERSION_INFO\n_AUDITABLE_VERSION_INFO:\n.incbin "audit.zlib"\n');
  await run('as', ['dep.s', '-o', 'dep.o'], { cwd: dir });
  writeFileSync(join(dir, 'main.rs'), 'fn main() { println!("hello, auditable"); }\n');
  await run('rustc', ['-C', `link-arg=${join(dir, 'dep.o')}`, '-o', binaries.plain, 'main.rs'], { cwd: dir });
  await run('strip', ['-o', binaries.stripped, binaries.plain]);
  return binaries;
}

/** The section's bytes as binutils reads them. */
export async function dumpSection(binary: string): Promise<Buffer> {
  const out = `${binary}.dep-v0`;
  await run('objcopy', [`--dump-section=.dep-v0=${out}`, binary, `${binary}.scratch`]);
  return readFileSync(out);
}
