// immutag pin against the real registry: a fixture repository holding every kind of
// deploy file, pinned through the same client as the gate, compared byte for byte
// with the expected files; then tags moved with skopeo between checks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, buildIndex, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';
import { runPin } from '../src/pin/pin.ts';
import type { PinReport } from '../src/pin/model.ts';
import { MemoryLogger } from '../src/log.ts';
import { formatReference, type Reference } from '../src/reference.ts';
import { runCli } from './support/action-runner.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/pin/', import.meta.url));
const PLACEHOLDER_HOST = 'registry.example:5000';
const TAGS = ['team/app:1.0', 'team/worker:2.1', 'tools/migrate:0.9', 'tools/debug:1.0', 'base/python:3.12', 'team/web:1.2',
  'base/golang:1.22', 'base/distroless:nonroot', 'ci/node:20', 'cache/redis:7', 'ci/lint:1.0', 'docker/dockerfile:1'];

const reg = await useRegistry({ auth: 'htpasswd' });
let one: BuiltImage;
let other: BuiltImage;
let multi: BuiltImage & { platforms: { arch: string; digest: string }[] };
const digests = new Map<string, string>();

before(async () => {
  one = await buildImage();
  other = await buildImage();
  multi = await buildIndex({ arches: ['amd64', 'arm64'], tag: 'multi' });
  for (const tag of TAGS) {
    // team/app is multi-platform: the pin must name the index digest.
    digests.set(tag, tag === 'team/app:1.0' ? await pushImage(reg, multi.ociRef, tag, { all: true }) : await pushImage(reg, one.ociRef, tag));
  }
});

after(async () => {
  for (const image of [one, other, multi]) await removeLayout(image);
});

/** The fixture text for this registry: its host, and `DIGEST(repo:tag)` as the digest pushed for it. */
function fill(text: string): string {
  return text.split(PLACEHOLDER_HOST).join(reg.host).replace(/DIGEST\(([^)]+)\)/g, (_, key: string) => {
    const d = digests.get(key);
    if (d === undefined) throw new Error(`no digest for ${key}`);
    return d;
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

/** A fresh copy of the fixture repository, filled in for this registry. */
async function repository(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-'));
  await cp(join(FIXTURE, 'repo'), dir, { recursive: true });
  for (const f of await listFiles(dir)) await writeFile(f, fill(await readFile(f, 'latin1')), 'latin1');
  return dir;
}

async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of await listFiles(dir)) out.set(relative(dir, f), await readFile(f));
  return out;
}

async function pin(dir: string, options: { check?: boolean; mutable?: string[]; paths?: string[]; asked?: string[] } = {}): Promise<PinReport> {
  const { client } = clientFor(reg);
  const counting = {
    manifestState: (ref: Reference) => {
      options.asked?.push(formatReference(ref));
      return client.manifestState(ref);
    },
  };
  try {
    return await runPin({ paths: options.paths ?? ['.'], cwd: dir, check: options.check ?? false, mutableTags: options.mutable ?? [], logger: new MemoryLogger(), client: counting });
  } finally {
    await client.close();
  }
}

const rowsOf = (r: PinReport, state: string) => r.rows.filter((row) => row.state === state);

test('pin rewrites every kind of deploy file to the digests, and nothing else: files equal the expected ones byte for byte', async (t) => {
  const dir = await repository();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const asked: string[] = [];
  const r = await pin(dir, { asked });
  assert.equal(r.result, 'pass', JSON.stringify(r.problems));
  assert.deepEqual(r.written, ['.github/workflows/ci.yml', 'compose/docker-compose.yml', 'docker/Dockerfile', 'k8s/app.yaml', 'kustomize/kustomization.yaml']);
  for (const f of await listFiles(join(FIXTURE, 'expected'))) {
    const rel = relative(join(FIXTURE, 'expected'), f);
    assert.equal(await readFile(join(dir, rel), 'latin1'), fill(await readFile(f, 'latin1')), rel);
  }
  assert.equal(await readFile(join(dir, 'helm/templates/deploy.yaml'), 'latin1'), fill(await readFile(join(FIXTURE, 'repo/helm/templates/deploy.yaml'), 'latin1')));
  assert.deepEqual(r.notes.map((n) => n.path), ['helm/templates/deploy.yaml']);
  // The index digest, as skopeo sees the tag.
  assert.equal(digests.get('team/app:1.0'), await inspectDigest(reg, 'team/app:1.0'));
  assert.ok(r.rows.some((row) => row.reference.endsWith('team/app:1.0') && row.digest === digests.get('team/app:1.0')));
  const skipped = rowsOf(r, 'skipped').map((row) => `${row.file}:${row.line} ${row.reference}`);
  assert.deepEqual(skipped, [
    'docker/Dockerfile:12 ' + `${reg.host}/base/golang:\${GO_VERSION}`,
    'k8s/app.yaml:56 ${BUILDER_IMAGE}',
    'k8s/app.yaml:58 {{ .Values.image }}',
    `kustomize/kustomization.yaml:15 ${reg.host}/team/other`,
  ]);
  assert.deepEqual(rowsOf(r, 'exists').map((row) => `${row.file}:${row.line}`), ['k8s/app.yaml:41']);
  // Duplicates resolve once: 12 distinct tags (the Dockerfile's # syntax= frontend among them) and one digest, for 19 references.
  assert.equal(r.rows.filter((row) => row.state !== 'skipped').length, 19);
  assert.deepEqual([...asked].sort(), [...TAGS.map((tag) => `${reg.host}/${tag}`), `${reg.host}/team/worker@${digests.get('team/worker:2.1')}`].sort());

  const check = await pin(dir, { check: true });
  assert.equal(check.result, 'pass', JSON.stringify(check.rows.filter((row) => row.state !== 'up-to-date')));
  assert.deepEqual(new Set(check.rows.map((row) => row.state)), new Set(['up-to-date', 'exists', 'skipped']));
});

test('--check: a path that matches no deploy file is an error even when the others find references, so its files are never left unchecked', async (t) => {
  const dir = await repository();
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.equal((await pin(dir)).result, 'pass');
  assert.equal((await pin(dir, { check: true, paths: ['.', join(dir, 'k8s/*.yaml')] })).result, 'pass', 'an absolute glob matches');
  const r = await pin(dir, { check: true, paths: ['.', 'deplyo/**/*.yaml'] });
  assert.equal(r.result, 'error');
  assert.equal(r.problems[0]?.code, 'INVALID_INPUT');
  assert.match(r.problems[0]?.message ?? '', /deplyo\/\*\*\/\*\.yaml matched no deploy file/);
});

test('--check: an immutable tag moved with skopeo between two checks fails, naming both digests; nothing is changed', async (t) => {
  const dir = await repository();
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.equal((await pin(dir)).result, 'pass');
  const first = await pin(dir, { check: true });
  assert.equal(first.result, 'pass');
  const before = await snapshot(dir);
  const pinned = digests.get('team/web:1.2')!;
  const moved = await pushImage(reg, other.ociRef, 'team/web:1.2');
  t.after(async () => {
    await pushImage(reg, one.ociRef, 'team/web:1.2');
  });
  assert.notEqual(moved, pinned);
  const second = await pin(dir, { check: true });
  assert.equal(second.result, 'violation');
  const [row] = rowsOf(second, 'moved');
  assert.equal(row?.file, 'compose/docker-compose.yml');
  assert.equal(row?.line, 3);
  assert.equal(row?.pinnedDigest, pinned);
  assert.equal(row?.currentDigest, moved);
  assert.match(row!.reason!, new RegExp(`the tag moved: pinned ${pinned}.*now points at ${moved}`));
  assert.deepEqual(await snapshot(dir), before, '--check changes nothing');
  // pin itself refuses to follow an immutable tag that moved, and writes nothing.
  const again = await pin(dir);
  assert.equal(again.result, 'violation');
  assert.deepEqual(again.written, []);
  assert.deepEqual(await snapshot(dir), before);

  const cli = await runCli(['pin', '--check', dir, '--username', reg.username, '--registry', reg.host, '--insecure-registry', reg.host, '--json'], { IMMUTAG_PASSWORD: reg.password });
  assert.equal(cli.code, 1, cli.stderr);
  const json = JSON.parse(cli.stdout) as PinReport;
  assert.equal(json.result, 'violation');
  assert.match(cli.stderr, new RegExp(`docker-compose.yml:3: Tag moved: .*${pinned}.*${moved}`));
  assert.ok(!cli.stderr.includes(reg.password));
});

test('--check: a mutable tag that moved is "update available" and passes; pin takes the new digest', async (t) => {
  const dir = await repository();
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.equal((await pin(dir)).result, 'pass');
  const old = digests.get('base/python:3.12')!;
  const fresh = await pushImage(reg, other.ociRef, 'base/python:3.12');
  t.after(async () => {
    await pushImage(reg, one.ociRef, 'base/python:3.12');
  });
  const check = await pin(dir, { check: true, mutable: ['3.*'] });
  assert.equal(check.result, 'pass');
  const updates = rowsOf(check, 'update-available');
  assert.deepEqual(updates.map((row) => `${row.file}:${row.line}`), ['compose/docker-compose.yml:8', 'k8s/app.yaml:54']);
  assert.equal(updates[0]!.pinnedDigest, old);
  assert.equal(updates[0]!.currentDigest, fresh);
  assert.equal((await pin(dir, { check: true })).result, 'violation', 'without the pattern the same move is a violation');

  const repinned = await pin(dir, { mutable: ['3.*'] });
  assert.equal(repinned.result, 'pass');
  assert.deepEqual(rowsOf(repinned, 'updated').length, 2);
  assert.ok((await readFile(join(dir, 'k8s/app.yaml'), 'utf8')).includes(`base/python:3.12@${fresh}`));
  assert.ok((await readFile(join(dir, 'compose/docker-compose.yml'), 'latin1')).includes(`base/python:3.12@${fresh}\r\n`));
});

test('--check: an unpinned reference added to a pinned tree fails, naming where the tag points', async (t) => {
  const dir = await repository();
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.equal((await pin(dir)).result, 'pass');
  const file = join(dir, 'k8s/app.yaml');
  await writeFile(file, (await readFile(file, 'utf8')) + `---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: ${reg.host}/team/web:1.2\n`);
  const r = await pin(dir, { check: true });
  assert.equal(r.result, 'violation');
  assert.deepEqual(rowsOf(r, 'unpinned').map((row) => `${row.file}:${row.line}`), ['k8s/app.yaml:64']);
  assert.equal(rowsOf(r, 'unpinned')[0]!.currentDigest, digests.get('team/web:1.2'));
});

test('--check that finds no image reference at all is an error, not a pass: a mistyped glob must not make a required check green', async (t) => {
  const dir = await repository();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const r = await pin(dir, { check: true, paths: ['deploy/**/*.yml'] });
  assert.equal(r.result, 'error');
  assert.equal(r.problems[0]?.code, 'INVALID_INPUT');
  assert.match(r.problems[0]?.message ?? '', /no image reference/);
  assert.ok(r.notes.some((n) => n.path === 'deploy/**/*.yml'), JSON.stringify(r.notes));
});

test('a broken YAML file: the error names file:line and no file is changed', async (t) => {
  const dir = await repository();
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'k8s/broken.yaml'), `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: [${reg.host}/team/web:1.2\n  other: 1\n`);
  const before = await snapshot(dir);
  const r = await pin(dir);
  assert.equal(r.result, 'error');
  assert.match(r.problems[0]!.message, /^k8s\/broken\.yaml:\d+: not valid YAML/);
  assert.equal(r.problems[0]!.file, 'k8s/broken.yaml');
  assert.deepEqual(await snapshot(dir), before);
  const broken = join(dir, 'docker/Dockerfile');
  await rm(join(dir, 'k8s/broken.yaml'));
  await writeFile(broken, (await readFile(broken, 'utf8')) + 'FORM nothing\n');
  const d = await pin(dir);
  assert.equal(d.result, 'error');
  assert.match(d.problems[0]!.message, /^docker\/Dockerfile:19: not a valid Dockerfile: unknown instruction "FORM"/);
});

test('bad input: not text, a symlink out of the paths and an oversized file are skipped with a note; an invalid name names its wrong part', async (t) => {
  const dir = await repository();
  const outside = await mkdtemp(join(tmpdir(), 'immutag-pin-outside-'));
  t.after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });
  await writeFile(join(dir, 'k8s/binary.yaml'), Buffer.from([0x69, 0x6d, 0x00, 0x01]));
  await writeFile(join(outside, 'secret.yaml'), `image: ${reg.host}/team/web:1.2\n`);
  await symlink(join(outside, 'secret.yaml'), join(dir, 'k8s/link.yaml'));
  await writeFile(join(dir, 'k8s/huge.yaml'), `image: ${reg.host}/team/web:1.2\n# ${'x'.repeat(9 * 1024 * 1024)}\n`);
  const r = await pin(dir, { paths: ['k8s', 'compose'] });
  assert.equal(r.result, 'pass', JSON.stringify(r));
  const notes = Object.fromEntries(r.notes.map((n) => [n.path, n.reason]));
  assert.match(notes['k8s/binary.yaml']!, /not a text file/);
  assert.match(notes['k8s/link.yaml']!, /symlink leading outside the given paths/);
  assert.match(notes['k8s/huge.yaml']!, /over the \d+-byte cap/);
  assert.equal(await readFile(join(outside, 'secret.yaml'), 'utf8'), `image: ${reg.host}/team/web:1.2\n`);
  assert.deepEqual(r.written, ['compose/docker-compose.yml', 'k8s/app.yaml']);

  await writeFile(join(dir, 'compose/compose.yaml'), `services:\n  bad:\n    image: ${reg.host}/Team/Web:1.2\n`);
  const bad = await pin(dir, { paths: ['compose'] });
  assert.equal(bad.result, 'error');
  const [row] = rowsOf(bad, 'invalid');
  assert.match(row!.reason!, /repository "Team\/Web" must be lowercase/);
  assert.deepEqual(bad.written, []);
});

test('fail closed: a tag whose state cannot be seen is an error (exit 2), and no file is written', async (t) => {
  const dir = await repository();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const before = await snapshot(dir);
  const cli = await runCli(['pin', join(dir, 'k8s'), '--insecure-registries', reg.host, '--json'], {});
  assert.equal(cli.code, 2, cli.stderr);
  const json = JSON.parse(cli.stdout) as PinReport;
  assert.equal(json.result, 'error');
  assert.ok(json.rows.filter((row) => row.state !== 'skipped').every((row) => row.state === 'unknown'), JSON.stringify(json.rows));
  assert.match(json.rows.find((row) => row.state === 'unknown')!.reason!, /anonymous/);
  assert.deepEqual(await snapshot(dir), before);
  assert.ok((await stat(dir)).isDirectory());
});

test('a digest-only reference that the registry does not have is reported missing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'pod.yaml'), `spec:\n  containers:\n    - image: ${reg.host}/team/web@sha256:${'0'.repeat(64)}\n`);
  const r = await pin(dir, { check: true });
  assert.equal(r.result, 'violation');
  assert.equal(rowsOf(r, 'missing').length, 1);
});

test('--check checks a reference it could not rewrite in place (a block scalar, a continued Dockerfile line); pin skips it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-uneditable-'));
  try {
    const pinned = `${reg.host}/team/worker:2.1@${digests.get('team/worker:2.1')}`;
    await writeFile(join(dir, 'deploy.yaml'), [
      'spec:', '  containers:', '    - name: a', '      image: >-', `        ${reg.host}/tools/debug:1.0`,
      '    - name: b', '      image: |-', `        ${pinned}`, '',
    ].join('\n'));
    await writeFile(join(dir, 'Dockerfile'), `FROM ${reg.host}/base/golang:1.\\\n22\n`);
    const check = await pin(dir, { check: true });
    const rows = check.rows.map((r) => [r.file.replace(`${dir}/`, ''), r.state]).sort();
    assert.deepEqual(rows, [['Dockerfile', 'unpinned'], ['deploy.yaml', 'unpinned'], ['deploy.yaml', 'up-to-date']], JSON.stringify(check.rows));
    assert.equal(check.result, 'violation');
    assert.ok(check.rows.filter((r) => r.state === 'unpinned').every((r) => /by hand/.test(r.reason ?? '')), JSON.stringify(check.rows));

    const before = await readFile(join(dir, 'deploy.yaml'), 'utf8');
    const rewrite = await pin(dir);
    assert.deepEqual(rewrite.rows.map((r) => r.state).sort(), ['skipped', 'skipped', 'skipped']);
    assert.equal(await readFile(join(dir, 'deploy.yaml'), 'utf8'), before, 'nothing rewritten');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--check: a reference pinned to one platform\'s manifest of the index its tag names is up to date, not a moved tag', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-platform-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const amd64 = multi.platforms.find((p) => p.arch === 'amd64')!.digest;
  const stranger = `sha256:${'5'.repeat(64)}`;
  await writeFile(join(dir, 'app.yaml'), `a:\n  image: ${reg.host}/team/app:1.0@${amd64}\nb:\n  image: ${reg.host}/team/app:1.0@${stranger}\n`);
  const report = await pin(dir, { check: true });
  const [platform, moved] = report.rows;
  assert.equal(platform?.state, 'up-to-date', JSON.stringify(platform));
  assert.equal(platform?.digest, amd64);
  assert.match(platform!.reason!, /linux\/amd64|platform/);
  assert.equal(moved?.state, 'moved', 'a digest the index does not list is still a moved tag');
  assert.equal(report.result, 'violation');
});
