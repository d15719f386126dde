// Finding and rewriting references without a registry: the parsers' edge cases, as
// tables, and the splice that must leave every other byte alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerfileReferences } from '../src/pin/find/dockerfile.ts';
import { findReferences } from '../src/pin/find/find.ts';
import { applyEdits } from '../src/pin/rewrite.ts';
import type { TextEncoding } from '../src/pin/find/text-encoding.ts';
import { readReference } from '../src/pin/reference-text.ts';
import { parseReference } from '../src/reference.ts';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FoundReference } from '../src/pin/model.ts';

const D = `sha256:${'d'.repeat(64)}`;

const dockerfiles: Array<[string, string, string[]]> = [
  ['stages: a FROM naming an earlier stage (any case) is not an image; scratch is not one',
    'FROM golang:1.22 AS Build\nFROM build AS test\nFROM scratch\nCOPY --from=Build /a /a\nCOPY --from=0 /b /b\n', ['golang:1.22']],
  ['--platform and other flags before the image', 'FROM --platform=$BUILDPLATFORM --foo=bar alpine:3.20 AS a\n', ['alpine:3.20']],
  ['a continued FROM line', 'FROM \\\n  alpine:3.20 \\\n  AS base\n', ['alpine:3.20']],
  ['the escape directive', '# escape=`\nFROM alpine:3.20 `\n  AS base\nRUN echo \\\nFROM debian:12\n', ['alpine:3.20', 'debian:12']],
  ['heredoc bodies are not instructions', 'FROM alpine:3.20\nRUN <<-EOF\n\tFROM nope:1\n\tEOF\nFROM debian:12\n', ['alpine:3.20', 'debian:12']],
  ['a shift or a here-string is not a heredoc: only a word that starts with << opens one (BuildKit)',
    'FROM alpine:3.20 AS b\nRUN echo $((1<<x)) && cat <<<word\nFROM node:20\nRUN cat 3<<"END" >f\nFROM nope:1\nEND\nFROM debian:12\n', ['alpine:3.20', 'node:20', 'debian:12']],
  ['a quoted <<EOF is shell text, not a heredoc: BuildKit splits words keeping quotes',
    'FROM alpine:3.20 AS b\nRUN sh -c \'cat <<EOF >/etc/motd\' && echo "a <<END b" && echo \\<<X\nFROM debian:12\nRUN cat <<"DONE"\nFROM nope:1\nDONE\nFROM node:20\n',
    ['alpine:3.20', 'debian:12', 'node:20']],
  ['heredocs are found with BuildKit\'s lexer, which escapes with \\ whatever the escape directive says',
    '# escape=`\nFROM alpine:3.20\nRUN echo it\\\'s <<EOF > /tmp/Dockerfile\nFROM busybox:1.36\nEOF\nFROM debian:12\n', ['alpine:3.20', 'debian:12']],
  ['COPY --from an image', 'FROM alpine:3.20\nCOPY --from=ghcr.io/acme/tools:1.0 /t /t\n', ['alpine:3.20', 'ghcr.io/acme/tools:1.0']],
  ['COPY --from="image" is the image without its quotes, as BuildKit reads it', 'FROM alpine:3.20\nCOPY --from="ghcr.io/acme/tools:1.0" /t /t\nCOPY --from=\'busybox:1.36\' /b /b\n',
    ['alpine:3.20', 'ghcr.io/acme/tools:1.0', 'busybox:1.36']],
  ['comments and blank lines', '# FROM commented:1\n\nFROM alpine:3.20\n', ['alpine:3.20']],
  // Parser directives as BuildKit reads them (frontend/dockerfile/parser/directives.go).
  ['an unknown parser directive ends the directives: a # syntax= after it is a comment',
    '# foo=bar\n# syntax=registry.example/df:1\nFROM alpine:3.20\n', ['alpine:3.20']],
  ['a # check= directive whose value holds spaces, then # syntax=', '# check=skip=JSONArgsRecommended, StageNameCasing\n# syntax=docker/dockerfile:1.7\nFROM alpine:3.20\n',
    ['docker/dockerfile:1.7', 'alpine:3.20']],
  ['# syntax= with frontend arguments: the image is the value up to the first space', '# syntax = docker/dockerfile:1.7 --debug\nFROM alpine:3.20\n',
    ['docker/dockerfile:1.7', 'alpine:3.20']],
  ['# syntax= after a #! line (BuildKit skips a shebang to find the frontend)', '#!/usr/bin/env dockerfile-run\n# syntax=docker/dockerfile:1\nFROM alpine:3.20\n',
    ['docker/dockerfile:1', 'alpine:3.20']],
  ['an indented # escape=` is the build\'s escape directive (it trims each line first), so a line ending in \\ does not swallow the next FROM',
    ' # escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\\\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n',
    ['mcr.microsoft.com/windows/servercore:ltsc2022', 'mcr.microsoft.com/windows/nanoserver:ltsc2022']],
  ['an indented # syntax= is not the frontend: BuildKit looks for it on lines as written', ' # syntax=docker/dockerfile:1\nFROM alpine:3.20\n', ['alpine:3.20']],
  ['# syntax= repeated after a #! line: the first is the frontend, and docker build builds the file',
    '#!/usr/bin/env dockerfile-run\n# syntax=docker/dockerfile:1.7\n# syntax=docker/dockerfile:1.6\nFROM alpine:3.20\n', ['docker/dockerfile:1.7', 'alpine:3.20']],
];

for (const [name, text, expected] of dockerfiles) {
  test(`Dockerfile: ${name}`, () => {
    const found = dockerfileReferences('Dockerfile', text).filter((f) => f.skip === undefined);
    assert.deepEqual(found.map((f) => f.text), expected);
    for (const f of found) assert.equal(text.slice(f.span.start, f.span.end), f.text);
  });
}

test('Dockerfile: a parser directive given twice, or an escape that is neither \\ nor `, is refused as BuildKit refuses it', () => {
  assert.throws(() => dockerfileReferences('Dockerfile', '# syntax=a/b:1\n# syntax=c/d:2\nFROM alpine:3.20\n'), /Dockerfile:2: not a valid Dockerfile: only one syntax parser directive/);
  assert.throws(() => dockerfileReferences('Dockerfile', '# escape=!\nFROM alpine:3.20\n'), /Dockerfile:1: not a valid Dockerfile: invalid escape/);
});

test('Dockerfile: an ARG in FROM is skipped; a FROM without an image is an error naming the line', () => {
  const [arg] = dockerfileReferences('Dockerfile', 'ARG BASE=alpine:3.20\nFROM ${BASE}\n');
  assert.match(arg!.skip!, /ARG/);
  assert.equal(arg!.line, 2);
  assert.throws(() => dockerfileReferences('x/Dockerfile', 'FROM alpine\nRUN true\nFROM\n'), /x\/Dockerfile:3: not a valid Dockerfile: FROM names no image/);
});

const references: Array<[string, string]> = [
  ['${IMAGE}', 'skip'], ['$IMAGE', 'skip'], ['{{ .Values.image }}', 'skip'], ['app:{{ .Chart.AppVersion }}', 'skip'],
  ['ghcr.io/acme/api:1.0', 'ok'], ['acme/Api:1', 'invalid'], ['acme/api:-bad', 'invalid'],
];

for (const [text, kind] of references) {
  test(`reference text ${JSON.stringify(text)} is ${kind}`, () => {
    const read = readReference(text);
    assert.equal(read.kind, kind);
    if (read.kind === 'invalid') assert.match(read.reason, /repository "acme\/Api" must be lowercase|tag "-bad" is invalid/);
  });
}

async function findIn(files: Record<string, string | Buffer>): Promise<{ refs: FoundReference[]; texts: Record<string, { bytes: Buffer; text: string; encoding: TextEncoding; refs: FoundReference[] }>; notes: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-find-'));
  try {
    for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body);
    const { files: scanned, notes } = await findReferences(Object.keys(files).map((name) => ({ path: name, real: join(dir, name), kind: /Dockerfile/.test(name) ? 'dockerfile' : 'yaml' })));
    const texts = Object.fromEntries(scanned.map((s) => [s.candidate.path, { bytes: s.bytes, text: s.text, encoding: s.encoding, refs: s.references }]));
    return { refs: scanned.flatMap((s) => s.references), texts, notes: notes.map((n) => `${n.path}: ${n.reason}`) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function pinAll(file: { bytes: Buffer; text: string; encoding: TextEncoding; refs: FoundReference[] }): string {
  const edits = file.refs.filter((f) => f.skip === undefined).map((found) => ({ found, ref: parseReference(found.text), digest: D }));
  return applyEdits(file, edits).toString('utf8');
}

test('YAML: a BOM, CRLF, non-ASCII comments and a flow map survive; only the reference bytes change', async () => {
  const text = '\ufeff# café ☕ déploiement\r\nspec:\r\n  containers: [{name: a, image: "nginx:1.27"}]   # ünïcode\r\n  x: &a {image: alpine}\r\n  y: *a\r\n';
  const { texts } = await findIn({ 'a.yaml': text });
  assert.equal(pinAll(texts['a.yaml']!), text.replace('nginx:1.27"', `nginx:1.27@${D}"`).replace('{image: alpine}', `{image: alpine:latest@${D}}`));
});

test('YAML: a bare repository beside its tag key (Helm values), a Flux ImageRepository, metadata and a Tekton $(params) are skipped; a bare image in a Pod is pinned', async () => {
  const values = 'image: "registry.example.com/elastic/es"\nimageTag: "8.5.1"\nsidecar:\n  image: busybox\n  tag: "1.36"\nworker:\n  image: busybox:1.36\n  tag: unused\n';
  const flux = 'apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageRepository\nmetadata:\n  name: app\nspec:\n  image: ghcr.io/acme/app\n  interval: 5m\n';
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    image: nginx\n  annotations:\n    image: nginx:1.27\nspec:\n  containers:\n    - name: a\n      image: nginx\n';
  const tekton = 'apiVersion: tekton.dev/v1\nkind: Task\nspec:\n  steps:\n    - name: build\n      image: $(params.builder-image)\n';
  // An operator's resource with version: beside image: pulls the image as written (ECK, Strimzi): a reference.
  const eck = 'apiVersion: elasticsearch.k8s.elastic.co/v1\nkind: Elasticsearch\nmetadata:\n  name: q\nspec:\n  version: 8.5.1\n  image: docker.elastic.co/elasticsearch/elasticsearch\n';
  const { refs } = await findIn({ 'values.yaml': values, 'flux.yaml': flux, 'pod.yaml': pod, 'task.yaml': tekton, 'es.yaml': eck });
  const pinned = refs.filter((r) => r.skip === undefined && readReference(r.text).kind === 'ok').map((r) => `${r.file} ${r.text}`);
  assert.deepEqual(pinned, ['values.yaml busybox:1.36', 'pod.yaml nginx', 'es.yaml docker.elastic.co/elasticsearch/elasticsearch']);
  const skipped = Object.fromEntries(refs.filter((r) => r.skip !== undefined).map((r) => [`${r.file} ${r.text}`, r.skip]));
  assert.match(skipped['values.yaml registry.example.com/elastic/es'] ?? '', /imageTag: beside image:/);
  assert.match(skipped['values.yaml busybox'] ?? '', /tag: beside image:/);
  assert.match(skipped['flux.yaml ghcr.io/acme/app'] ?? '', /Flux ImageRepository/);
  assert.match(skipped['pod.yaml nginx:1.27'] ?? '', /metadata/);
  assert.equal(readReference('$(params.builder-image)').kind, 'skip', 'a Tekton parameter is a template, not an invalid reference');
});

test('YAML: block scalars and escaped strings are found with their values but not edited; non-string image values are not references; Helm values\' image: {repository, tag} is the reference the chart renders, checked and not edited', async () => {
  const { refs } = await findIn({ 'b.yaml': 'a:\n  image: |\n    nginx:1.27\nb:\n  image: "ngi\\x6ex:1"\nc:\n  image: true\nd:\n  image: {repository: nginx, tag: "1.27"}\ne:\n  image:\n    repository: redis\n' });
  assert.deepEqual(refs.map((r) => [r.line, r.text, r.uneditable !== undefined, r.skip !== undefined]),
    [[2, 'nginx:1.27\n', true, false], [5, 'nginx:1', true, false], [9, 'nginx:1.27', true, false], [12, 'redis', false, true]]);
});

test('kustomization: digest inserted after newTag in a CRLF file at the entry\'s indent; an existing digest is replaced', async () => {
  const text = 'images:\r\n- newTag: "1.0"  # v\r\n  name: a\r\n  newName: r.example/a\r\n- name: b\r\n  newTag: 2\r\n  digest: sha256:' + 'e'.repeat(64) + '\r\n';
  const { texts } = await findIn({ 'kustomization.yaml': text });
  const out = pinAll(texts['kustomization.yaml']!);
  assert.equal(out, text.replace('"1.0"  # v\r\n', `"1.0"  # v\r\n  digest: ${D}\r\n`).replace('e'.repeat(64), 'd'.repeat(64)));
});

test('workflow: container as a string, services, and uses: docker:// (only the text after the scheme)', async () => {
  const text = 'on: push\njobs:\n  a:\n    container: node:20\n    services:\n      db: {image: "postgres:16"}\n    steps:\n      - uses: docker://alpine:3.20\n      - uses: actions/checkout@v4\n';
  const { texts, refs } = await findIn({ 'ci.yml': text });
  assert.deepEqual(refs.map((r) => `${r.kind} ${r.text}`), ['workflow node:20', 'workflow postgres:16', 'workflow alpine:3.20']);
  assert.ok(pinAll(texts['ci.yml']!).includes(`uses: docker://alpine:3.20@${D}\n`));
});

test('a glob written as an absolute path (${{ github.workspace }}/deploy/*.yaml) matches as the same glob relative to it does', async () => {
  const { expandPaths } = await import('../src/pin/find/files.ts');
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-paths-'));
  try {
    await mkdir(join(dir, 'deploy', 'prod'), { recursive: true });
    await writeFile(join(dir, 'deploy', 'a.yaml'), 'image: nginx:1\n');
    await writeFile(join(dir, 'deploy', 'prod', 'b.yaml'), 'image: nginx:1\n');
    await writeFile(join(dir, 'c.yaml'), 'image: nginx:1\n');
    // Names that start with `..` are below the glob's base (Kubernetes' projected volumes write `..data`).
    await mkdir(join(dir, 'deploy', '..data'));
    await writeFile(join(dir, 'deploy', '..data', 'd.yaml'), 'image: nginx:1\n');
    await writeFile(join(dir, 'deploy', '..app.yaml'), 'image: nginx:1\n');
    for (const [globs, want] of [
      [[join(dir, 'deploy/*.yaml')], ['deploy/..app.yaml', 'deploy/a.yaml']],
      [[join(dir, 'deploy/**/*.yaml')], ['deploy/..app.yaml', 'deploy/..data/d.yaml', 'deploy/a.yaml', 'deploy/prod/b.yaml']],
      [['./deploy/**/*.yaml'], ['deploy/..app.yaml', 'deploy/..data/d.yaml', 'deploy/a.yaml', 'deploy/prod/b.yaml']],
      [['*.yaml'], ['c.yaml']],
      [[`${dir}/*.yaml`], ['c.yaml']],
      [['deploy/**/..*.yaml', 'deploy/..data/*.yaml'], ['deploy/..app.yaml', 'deploy/..data/d.yaml']],
    ] as const) {
      const r = await expandPaths(globs, dir);
      assert.deepEqual(r.files.map((f) => f.path), want, globs.join(' '));
      assert.deepEqual(r.unmatched, [], globs.join(' '));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a path or glob that matches no deploy file is noted, so a typo does not read as "all pinned"', async () => {
  const { expandPaths } = await import('../src/pin/find/files.ts');
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-paths-'));
  try {
    await writeFile(join(dir, 'a.yaml'), 'image: nginx:1\n');
    const r = await expandPaths(['deplyo/**/*.yaml', 'a.yaml', '*.yaml'], dir);
    assert.deepEqual(r.files.map((f) => f.path), ['a.yaml']);
    assert.deepEqual(r.notes, [{ path: 'deplyo/**/*.yaml', reason: 'matched no deploy file' }]);
    assert.deepEqual(r.unmatched, ['deplyo/**/*.yaml']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a glob class opened with [! is refused with the [^ spelling: the glob compiler reads that ! as a character, so deploy/[!_]*.yaml checked _base.yaml alone', async () => {
  const { expandPaths } = await import('../src/pin/find/files.ts');
  const { ImmutagError } = await import('../src/errors.ts');
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-paths-'));
  try {
    await mkdir(join(dir, 'deploy'));
    for (const name of ['_base.yaml', 'api.yaml', 'web.yaml']) await writeFile(join(dir, 'deploy', name), 'image: nginx:1\n');
    await assert.rejects(expandPaths(['deploy/[!_]*.yaml'], dir), (e: unknown) =>
      e instanceof ImmutagError && e.code === 'INVALID_INPUT' && e.message.includes('deploy/[!_]*.yaml') && e.hint.includes('deploy/[^_]*.yaml'));
    const r = await expandPaths(['deploy/[^_]*.yaml'], dir);
    assert.deepEqual(r.files.map((f) => f.path), ['deploy/api.yaml', 'deploy/web.yaml']);
    // A group negation means what it says to the compiler too, and stays allowed.
    const group = await expandPaths(['deploy/!(_base).yaml'], dir);
    assert.deepEqual(group.files.map((f) => f.path), ['deploy/api.yaml', 'deploy/web.yaml']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('all or none: when one file cannot be written, no file changes and no temporary file is left', async () => {
  const { writeAll } = await import('../src/pin/rewrite.ts');
  const { readdir, readFile } = await import('node:fs/promises');
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-write-'));
  try {
    await writeFile(join(dir, 'a.yaml'), 'image: a:1\n');
    const file = (name: string, real: string) => ({ candidate: { path: name, real, kind: 'yaml' as const }, bytes: Buffer.from('image: a:1\n'), text: 'image: a:1\n', encoding: 'utf-8' as const, references: [] });
    const plans = [
      { file: file('a.yaml', join(dir, 'a.yaml')), bytes: Buffer.from(`image: a:1@${D}\n`) },
      { file: file('gone/b.yaml', join(dir, 'gone', 'b.yaml')), bytes: Buffer.from('x') },
    ];
    await assert.rejects(writeAll(plans), /could not write the pinned files/);
    assert.equal(await readFile(join(dir, 'a.yaml'), 'utf8'), 'image: a:1\n');
    assert.deepEqual(await readdir(dir), ['a.yaml']);
    // A file edited after it was read is not overwritten either.
    await writeFile(join(dir, 'a.yaml'), 'image: a:2\n');
    await assert.rejects(writeAll(plans.slice(0, 1)), /a\.yaml changed while pin was running/);
    assert.equal(await readFile(join(dir, 'a.yaml'), 'utf8'), 'image: a:2\n');
    assert.deepEqual(await readdir(dir), ['a.yaml']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const notImages = ['https://example.com/logo.png', './Dockerfile', 'Dockerfile', 'docs/logo.svg', '/abs/path', 'Dockerfile.prod', 'docker/Dockerfile', 'build/Containerfile-dev'];
// Lowercase names are repositories: they stay references.
for (const text of ['acme/dockerfile-lint:1.2', 'acme/dockerfile']) {
  test(`image: ${text} is an image reference`, () => assert.equal(readReference(text).kind, 'ok'));
}
for (const text of notImages) {
  test(`image: ${text} is not an image reference: skipped, never an error`, () => {
    const read = readReference(text);
    assert.equal(read.kind, 'skip');
    assert.match((read as { reason: string }).reason, /URL or file path/);
  });
}

test('a Docker action\'s action.yml: image: docker://… is a reference after the scheme; image: Dockerfile is skipped', async () => {
  const { refs } = await findIn({ 'action.yml': "runs:\n  using: docker\n  image: 'docker://alpine:3.20'\n" });
  assert.deepEqual(refs.map((r) => r.text), ['alpine:3.20']);
  const local = await findIn({ 'action.yaml': 'runs:\n  using: docker\n  image: Dockerfile\n' });
  assert.equal(readReference(local.refs[0]!.text).kind, 'skip');
});

test('a directory walk takes Dockerfiles by name, not source files or docs named after them', async () => {
  const { dockerfileName } = await import('../src/pin/find/files.ts');
  const yes = ['Dockerfile', 'Dockerfile.prod', 'Dockerfile-dev', 'api.Dockerfile', 'x.dockerfile', 'Containerfile', 'dockerfile'];
  const no = ['dockerfile.ts', 'Dockerfile.md', 'Dockerfile.dockerignore', 'dockerfile.test.ts', 'Dockerfile.json', 'notes.txt'];
  assert.deepEqual(yes.filter((n) => !dockerfileName(n)), []);
  assert.deepEqual(no.filter((n) => dockerfileName(n)), []);
});

test('a broken workflow is an error even though it holds ${{ }} expressions; a Helm template is skipped with a note', async () => {
  await assert.rejects(findIn({ 'ci.yml': 'on: push\njobs:\n  a:\n    env: {X: ${{ github.sha }}}\n    bad: [\n' }), /ci\.yml:\d+: not valid YAML/);
  const helm = await findIn({ 'deploy.yaml': '{{- if .Values.on }}\nspec:\n  image: {{ .Values.image }}\n{{- end }}\n' });
  assert.deepEqual(helm.notes, ['deploy.yaml: a Go/Helm template, not YAML: pin the rendered manifests (helm template) instead']);
});

test('YAML: an image: value written as an alias is the anchored text, found and pinned where the anchor is', async () => {
  const text = 'x-image: &img redis:7\nservices:\n  cache: {image: *img}\n  other:\n    image: *img\n';
  const { texts, refs } = await findIn({ 'compose.yaml': text });
  assert.deepEqual(refs.map((r) => [r.line, r.text]), [[1, 'redis:7']]);
  assert.equal(pinAll(texts['compose.yaml']!), text.replace('&img redis:7', `&img redis:7@${D}`));
});

test('workflow: a job container or a docker:// step written as an alias is the anchored text (container: *image passed --check by tag)', async () => {
  const text = 'on: push\nenv:\n  IMAGE: &image ghcr.io/acme/app:1.0\n  STEP: &step docker://alpine:3.20\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container: *image\n    steps:\n      - uses: *step\n';
  const { texts, refs } = await findIn({ 'ci.yml': text });
  assert.deepEqual(refs.map((r) => [r.line, r.text]), [[3, 'ghcr.io/acme/app:1.0'], [4, 'alpine:3.20']]);
  assert.equal(pinAll(texts['ci.yml']!), text.replace('app:1.0', `app:1.0@${D}`).replace('alpine:3.20', `alpine:3.20@${D}`));
});

test('compose: a service with build: names the image it builds, not one to pull; the rest of the file is still pinned', async () => {
  const text = 'services:\n  api: {build: ., image: acme/api:dev}\n  web:\n    build:\n      context: web\n    image: acme/web:dev\n  db: {image: postgres:16}\n';
  const { refs } = await findIn({ 'compose.yaml': text });
  const pinned = refs.filter((r) => r.skip === undefined).map((r) => r.text);
  assert.deepEqual(pinned, ['postgres:16']);
  const skipped = refs.filter((r) => r.skip !== undefined);
  assert.deepEqual(skipped.map((r) => r.text), ['acme/api:dev', 'acme/web:dev']);
  for (const r of skipped) assert.match(r.skip!, /build/);
});

test('Dockerfile: an empty line inside a continuation does not end the instruction (BuildKit skips it); a BOM before the escape directive', () => {
  const found = dockerfileReferences('Dockerfile', 'FROM alpine:3.20\nRUN apk add \\\n\n    curl\nFROM debian:12\n');
  assert.deepEqual(found.map((f) => f.text), ['alpine:3.20', 'debian:12']);
  const bom = dockerfileReferences('Dockerfile', '\ufeff# escape=`\nFROM alpine:3.20\nRUN echo `\n  hi\nFROM debian:12\n');
  assert.deepEqual(bom.map((f) => f.text), ['alpine:3.20', 'debian:12']);
});

test('a Docker action whose image is a Dockerfile in a folder is a file path; a composite action\'s docker:// steps are references', async () => {
  const local = await findIn({ 'action.yml': 'runs:\n  using: docker\n  image: docker/Dockerfile\n' });
  assert.equal(readReference(local.refs[0]!.text).kind, 'skip');
  const composite = await findIn({ 'action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: "docker://alpine:3.20"\n      env: {image: foo/bar:1}\n    - uses: anchore/scan-action@v3\n      with: {image: localbuild/app:latest}\n    - uses: actions/checkout@v4\n' });
  assert.deepEqual(composite.refs.map((r) => r.text), ['alpine:3.20']);
});

test('Dockerfile: RUN --mount=from= names an image like COPY --from, stages and indexes aside', () => {
  const found = dockerfileReferences('Dockerfile', 'FROM golang:1.22 AS b\nRUN --mount=type=bind,from=redis:7,target=/r --mount=from=b,target=/x --mount=type=cache,from=0,target=/c --mount="type=bind,from=nginx:1.27" cp /r/x /x\n');
  assert.deepEqual(found.filter((f) => f.skip === undefined).map((f) => f.text), ['golang:1.22', 'redis:7', 'nginx:1.27'], 'a quoted value is read without its quotes');
  const text = 'FROM golang:1.22 AS b\nRUN --mount=type=bind,from=redis:7,target=/r cp /r/x /x\n';
  const [, mount] = dockerfileReferences('Dockerfile', text);
  assert.equal(text.slice(mount!.span.start, mount!.span.end), 'redis:7');
});

test('workflow: an action\'s inputs (with:) and env: are not image references, even when named image or container', async () => {
  const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env: {image: local/app:dev}\n    steps:\n      - uses: some/action@v1\n        with: {container: web}\n      - uses: anchore/scan-action@v3\n        with:\n          image: localbuild/app:latest\n      - uses: docker://alpine:3.20\n';
  const { refs } = await findIn({ 'ci.yml': text });
  assert.deepEqual(refs.map((r) => r.text), ['alpine:3.20']);
});

test('Argo CD Application: kustomize image overrides are found after their `name=`, in spec.source and spec.sources[], and pinned after the tag', async () => {
  const text = [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata: {name: web}', 'spec:',
    '  source:', '    kustomize:', '      images:', '      - acme/web=r.example/acme/web:2.0', '      - "r.example/acme/api:1.1"',
    '  sources:', '  - kustomize:', '      images: [r.example/acme/jobs:3]', '',
  ].join('\n');
  const { texts, refs } = await findIn({ 'app.yaml': text });
  assert.deepEqual(refs.map((r) => `${r.line}:${r.column} ${r.text}`), ['8:18 r.example/acme/web:2.0', '9:10 r.example/acme/api:1.1', '12:16 r.example/acme/jobs:3']);
  const out = pinAll(texts['app.yaml']!);
  assert.ok(out.includes(`- acme/web=r.example/acme/web:2.0@${D}\n`), out);
  assert.ok(out.includes(`images: [r.example/acme/jobs:3@${D}]`), out);
});
