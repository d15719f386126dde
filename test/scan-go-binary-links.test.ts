// Go binaries read as `go version -m` reads them, built here with the real toolchain
// (Debian's golang-go) from the same vendored fixture as scan-go-binary.test.ts. An
// external link can start the writable segment 8 bytes off a 16-byte boundary while the
// build info stays 16-aligned in the file: every such cgo binary and c-shared library was
// skipped whole. The go command itself is OSV's `toolchain` package as well as `stdlib`.
// Found by a review helper.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { goPackages, goToolchainVersion } from '../src/scan/inventory/go-buildinfo.ts';
import { buildGoBinaries, goVersionTruth } from './support/go-fixture.ts';
import { run } from './support/exec.ts';
import { InventoryImage } from './support/inventory-image.ts';

const DEBIAN = readFileSync(new URL('./fixtures/inventory/os-release/debian-12', import.meta.url));
let ctorBinary: string;
let sharedLib: string;
const scratch: string[] = [];
after(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

before(async () => {
  const fixture = await buildGoBinaries();
  const dir = dirname(fixture.plain);
  const work = mkdtempSync(join(tmpdir(), 'immutag-go-cgo-'));
  scratch.push(work);
  cpSync(join(dir, 'src'), work, { recursive: true });
  const env = { ...process.env, HOME: dir, GOCACHE: join(dir, 'cache'), GOPATH: join(dir, 'gopath'), GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '1' };
  // A cgo program whose C code has one constructor (as C libraries commonly do): .init_array
  // grows by 8 bytes and the linker's RELRO layout starts the writable PT_LOAD 8 bytes off a
  // 16-byte boundary. .go.buildinfo itself stays 16-aligned (its section alignment).
  writeFileSync(join(work, 'cgo.go'), 'package main\n\n// static int initialised;\n// __attribute__((constructor)) static void setup(void) { initialised = 1; }\n// int twice(int a) { return 2 * a * initialised; }\nimport "C"\n\nvar _ = C.twice(1)\n');
  ctorBinary = join(work, 'app-cgo-ctor');
  await run('go', ['build', '-ldflags=-linkmode=external', '-o', ctorBinary, '.'], { cwd: work, env });
  // The same program as a C shared library (-buildmode=c-shared).
  const lib = mkdtempSync(join(tmpdir(), 'immutag-go-lib-'));
  scratch.push(lib);
  cpSync(join(dir, 'src'), lib, { recursive: true });
  writeFileSync(join(lib, 'main.go'), 'package main\n\nimport "C"\n\nimport (\n\t"fmt"\n\n\t"github.com/google/uuid"\n\t"github.com/pkg/errors"\n)\n\n//export F\nfunc F() { fmt.Println(errors.New(uuid.NewString())) }\n\nfunc main() {}\n');
  sharedLib = join(lib, 'libapp.so');
  await run('go', ['build', '-buildmode=c-shared', '-o', sharedLib, '.'], { cwd: lib, env });
  chmodSync(sharedLib, 0o755); // go version -m reads only files with an exec bit
});

async function inventory(name: string, content: Buffer) {
  const image = new InventoryImage();
  await image.layer([{ name: 'etc/os-release', content: DEBIAN }, { name, content }]);
  const { packages } = await inventoryImage(image.source, image.manifest);
  return packages.map((p) => `${p.name}@${p.version}`).sort();
}

function expected(truth: Awaited<ReturnType<typeof goVersionTruth>>): string[] {
  return [`stdlib@${goToolchainVersion(truth.toolchain)}`, ...[...truth.modules].map(([p, v]) => `${p}@${v.replace(/^v/, '')}`)].sort();
}

describe('Go binaries of other links', () => {
  it('an externally linked cgo binary whose writable segment starts 8 bytes off a 16-byte boundary', async () => {
    const { stdout } = await run('readelf', ['-lW', ctorBinary]);
    const rw = stdout.split('\n').find((l) => /^\s*LOAD/.test(l) && / RW /.test(l))!;
    assert.equal(Number.parseInt(rw.trim().split(/\s+/)[1]!, 16) % 16, 8, 'precondition: RW PT_LOAD not 16-aligned');
    const truth = await goVersionTruth(ctorBinary);
    assert.ok(truth.modules.size >= 2);
    assert.deepEqual(await inventory('usr/local/bin/app', readFileSync(ctorBinary)), expected(truth));
  });

  it('a Go c-shared library (-buildmode=c-shared)', async () => {
    const truth = await goVersionTruth(sharedLib);
    assert.deepEqual(await inventory('usr/lib/libapp.so', readFileSync(sharedLib)), expected(truth));
  });

  it('the go command itself is reported as OSV\'s Go "toolchain" package (cmd/go advisories, e.g. GO-2021-0068)', async () => {
    const go = realpathSync('/usr/bin/go');
    const truth = await goVersionTruth(go);
    const { stdout } = await run('go', ['version', '-m', go]);
    assert.match(stdout, /\tpath\tcmd\/go\n/, 'precondition: the go command');
    const found = await inventory('usr/local/go/bin/go', readFileSync(go));
    assert.ok(found.includes(`stdlib@${goToolchainVersion(truth.toolchain)}`));
    assert.ok(found.includes(`toolchain@${goToolchainVersion(truth.toolchain)}`), `toolchain not reported: ${found.join(' ')}`);
  });

  it('a go command from before Go 1.18 (no module info for standard commands) is the toolchain too, by its place in a Go distribution', () => {
    // What Go 1.13-1.17 wrote for cmd/go: the version, and empty module info (`go version -m` prints only go1.15.6).
    const names = (shown: string) => goPackages('go1.15.6', '', shown).packages.map((p) => `${p.name}@${p.version}`);
    assert.deepEqual(names('/usr/local/go/bin/go'), ['stdlib@1.15.6', 'toolchain@1.15.6']);
    assert.deepEqual(names('/usr/local/go/bin/linux_arm64/go'), ['stdlib@1.15.6', 'toolchain@1.15.6']);
    assert.deepEqual(names('/usr/local/bin/gofmt'), ['stdlib@1.15.6']);
    assert.deepEqual(goPackages('go1.15.6', 'path\tgithub.com/x/go\n', '/usr/local/bin/go').packages.map((p) => p.name), ['stdlib']);
  });
});
