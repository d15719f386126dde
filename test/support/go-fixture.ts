// Builds real Go binaries offline with Debian's golang-go, from modules Debian ships as
// source (golang-github-pkg-errors-dev, golang-github-google-uuid-dev) vendored into a
// small program. One dependency is replaced (`=>`) so the replacement path is exercised.
// `go version -m` on the result is the truth the inventory is compared with. Built once
// per machine into the temp directory (keyed by the toolchain), a few seconds the first time.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './exec.ts';

const GOCODE = '/usr/share/gocode/src';

const MAIN = `package main

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/pkg/errors"
)

func main() { fmt.Println(errors.New(uuid.NewString())) }
`;

// pkg/errors is required at v0.8.1 and replaced by a fork at v0.9.1: the binary holds the fork.
const GO_MOD = `module example.com/immutag/gofixture

go 1.19

require (
	github.com/google/uuid v1.3.0
	github.com/pkg/errors v0.8.1
)

replace github.com/pkg/errors v0.8.1 => github.com/immutag-fork/errors v0.9.1
`;

const MODULES_TXT = `# github.com/google/uuid v1.3.0
## explicit
github.com/google/uuid
# github.com/pkg/errors v0.8.1 => github.com/immutag-fork/errors v0.9.1
## explicit
github.com/pkg/errors
# github.com/pkg/errors v0.8.1 => github.com/immutag-fork/errors v0.9.1
`;

export interface GoBinaries {
  /** Built with symbols. */
  plain: string;
  /** Built with `-ldflags=-s -w` (no symbol table, no DWARF): build info stays. */
  stripped: string;
  /** Cross-compiled: a PE for windows/amd64 and a Mach-O for darwin/arm64. */
  windows: string;
  darwin: string;
  /** With cgo, linked by the system linker (`-linkmode=external`): the build info is wherever ld put it. */
  cgo: string;
}

export async function buildGoBinaries(): Promise<GoBinaries> {
  const { stdout } = await run('go', ['env', 'GOVERSION']);
  const dir = join(tmpdir(), `immutag-go-fixture-${stdout.trim()}`);
  const binaries = { plain: join(dir, 'app'), stripped: join(dir, 'app-stripped'), windows: join(dir, 'app.exe'), darwin: join(dir, 'app-darwin'), cgo: join(dir, 'app-cgo') };
  if (Object.values(binaries).every((path) => existsSync(path))) return binaries;
  const src = join(dir, 'src');
  mkdirSync(join(src, 'vendor/github.com/pkg'), { recursive: true });
  mkdirSync(join(src, 'vendor/github.com/google'), { recursive: true });
  cpSync(join(GOCODE, 'github.com/pkg/errors'), join(src, 'vendor/github.com/pkg/errors'), { recursive: true });
  cpSync(join(GOCODE, 'github.com/google/uuid'), join(src, 'vendor/github.com/google/uuid'), { recursive: true });
  writeFileSync(join(src, 'main.go'), MAIN);
  writeFileSync(join(src, 'go.mod'), GO_MOD);
  writeFileSync(join(src, 'vendor/modules.txt'), MODULES_TXT);
  const env = { ...process.env, HOME: dir, GOCACHE: join(dir, 'cache'), GOPATH: join(dir, 'gopath'), GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
  await run('go', ['build', '-o', binaries.plain, '.'], { cwd: src, env });
  await run('go', ['build', '-ldflags=-s -w', '-o', binaries.stripped, '.'], { cwd: src, env });
  await run('go', ['build', '-o', binaries.windows, '.'], { cwd: src, env: { ...env, GOOS: 'windows', GOARCH: 'amd64' } });
  await run('go', ['build', '-o', binaries.darwin, '.'], { cwd: src, env: { ...env, GOOS: 'darwin', GOARCH: 'arm64' } });
  writeFileSync(join(src, 'cgo.go'), 'package main\n\n// int twice(int a) { return 2 * a; }\nimport "C"\n\nvar _ = C.twice(1)\n');
  await run('go', ['build', '-ldflags=-linkmode=external', '-o', binaries.cgo, '.'], { cwd: src, env: { ...env, CGO_ENABLED: '1' } });
  return binaries;
}

export interface GoTruth {
  toolchain: string;
  /** Module path → version as `go version -m` prints it (`v0.9.1`), as compiled in (replacements applied). */
  modules: Map<string, string>;
}

/** `go version -m`: the toolchain on the first line, then `dep` lines, each optionally followed by `=>`. */
export async function goVersionTruth(binary: string): Promise<GoTruth> {
  const { stdout } = await run('go', ['version', '-m', binary]);
  const lines = stdout.split('\n');
  const toolchain = /: (go\S+)/.exec(lines[0] ?? '')?.[1] ?? '';
  const modules = new Map<string, string>();
  let last: string | undefined;
  for (const line of lines.slice(1)) {
    const [, kind, path, version] = line.split('\t');
    if (kind === 'dep') {
      modules.set(path!, version!);
      last = path;
    } else if (kind === '=>' && last) {
      modules.delete(last);
      modules.set(path!, version!);
    }
  }
  return { toolchain, modules };
}

/**
 * A program built in workspace mode (go.work `use`s it and a library module beside it),
 * as Kubernetes builds kubectl from its staging modules: `go version -m` lists the
 * library as `dep example.com/immutag/golib (devel)`, with no `=>` line and no version.
 */
export async function buildGoWorkspaceBinary(): Promise<string> {
  const { stdout } = await run('go', ['env', 'GOVERSION']);
  const dir = join(tmpdir(), `immutag-go-workspace-${stdout.trim()}`);
  const binary = join(dir, 'app');
  if (existsSync(binary)) return binary;
  mkdirSync(join(dir, 'src/app'), { recursive: true });
  mkdirSync(join(dir, 'src/lib'), { recursive: true });
  writeFileSync(join(dir, 'src/go.work'), 'go 1.19\n\nuse (\n\t./app\n\t./lib\n)\n');
  writeFileSync(join(dir, 'src/lib/go.mod'), 'module example.com/immutag/golib\n\ngo 1.19\n');
  writeFileSync(join(dir, 'src/lib/lib.go'), 'package lib\n\nfunc Hello() string { return "hello" }\n');
  writeFileSync(join(dir, 'src/app/go.mod'), 'module example.com/immutag/goapp\n\ngo 1.19\n\nrequire example.com/immutag/golib v0.0.0\n');
  writeFileSync(join(dir, 'src/app/main.go'), 'package main\n\nimport "example.com/immutag/golib"\n\nfunc main() { println(lib.Hello()) }\n');
  const env = { ...process.env, HOME: dir, GOCACHE: join(dir, 'cache'), GOPATH: join(dir, 'gopath'), GOFLAGS: '', GOPROXY: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
  await run('go', ['build', '-o', binary, '.'], { cwd: join(dir, 'src/app'), env });
  return binary;
}
