// The CLI twin: the same core, exit codes 0 pass, 1 violation, 2 error, and a
// password taken from stdin or the environment, never from an argument.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { registryFor, startRegistry, useRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runCli } from './support/action-runner.ts';

const reg = await useRegistry({ auth: 'token', tls: true });
let image: BuiltImage;
let digest: string;

before(async () => {
  image = await buildImage();
  digest = await pushImage(reg, image.ociRef, 'cli/app:1.0');
});

after(async () => {
  await removeLayout(image);
});

const env = () => ({ NODE_EXTRA_CA_CERTS: reg.caFile!, IMMUTAG_PASSWORD: reg.password });

test('check over token auth and TLS: exit 1 on an existing tag, naming its digest; exit 0 on a new one', async () => {
  const refused = await runCli(['check', `${reg.host}/cli/app:1.0`, '--username', reg.username, '--json'], env());
  assert.equal(refused.code, 1);
  const out = JSON.parse(refused.stdout) as { result: string; existing: { digest: string }[] };
  assert.equal(out.result, 'violation');
  assert.equal(out.existing[0]?.digest, digest);
  assert.match(refused.stderr, new RegExp(digest));
  const fresh = await runCli(['check', `${reg.host}/cli/app:2.0`, '--username', reg.username], env());
  assert.equal(fresh.code, 0, fresh.stderr);
});

test('over TLS the tag checks share one HTTP/2 connection', async (t) => {
  const { startTcpCounter } = await import('./support/tcp-counter.ts');
  const counter = await startTcpCounter(reg.host);
  t.after(() => counter.stop());
  for (let i = 0; i < 10; i++) await pushImage(reg, image.ociRef, `cli/many:1.${i}`);
  const tags = Array.from({ length: 10 }, (_, i) => `${counter.host}/cli/many:1.${i}`);
  const r = await runCli(['check', ...tags, '--username', reg.username, '--mutable-tags', '*', '--json'], env());
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { existing: unknown[] }).existing.length, 10);
  assert.equal(counter.connections(), 1, 'one connection to the registry for the ping and ten GETs');
});

test('--mutable-tags lets a matching tag move', async () => {
  await pushImage(reg, image.ociRef, 'cli/app:latest');
  const r = await runCli(['check', `${reg.host}/cli/app:latest`, '--username', reg.username, '--mutable-tags', 'lat*'], env());
  assert.equal(r.code, 0, r.stderr);
});

test('--password-stdin reads the password from standard input', async () => {
  const r = await runCli(['check', `${reg.host}/cli/app:3.0`, '--username', reg.username, '--password-stdin'],
    { NODE_EXTRA_CA_CERTS: reg.caFile! }, `${reg.password}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stderr.includes(reg.password));
});

const errors: Array<[string, string[]]> = [
  ['no command', []],
  ['unknown command', ['frobnicate', 'a/b:1']],
  ['unknown flag', ['check', 'a/b:1', '--colour']],
  ['a flag without its value', ['check', 'a/b:1', '--username']],
  ['a value given to a boolean flag', ['check', 'a/b:1', '--verbose=yes']],
  ['invalid reference', ['check', 'Bad Ref']],
  ['push without --image', ['push', 'a/b:1']],
  ['pin: unknown flag', ['pin', 'deploy', '--colour']],
  ['pin: no path', ['pin']],
];

for (const [name, args] of errors) {
  test(`exit 2 with a one-line reason, and with --json one JSON document naming the error: ${name}`, async () => {
    const r = await runCli(args);
    assert.equal(r.code, 2);
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
    const j = await runCli([...args, '--json']);
    assert.equal(j.code, 2);
    const doc = JSON.parse(j.stdout) as { result: string; error: { code: string; message: string; hint: string } };
    assert.equal(doc.result, 'error');
    assert.match(doc.error.code, /^[A-Z_]+$/);
    assert.ok(doc.error.message.length > 0 && doc.error.hint.length > 0, j.stdout);
  });
}

test('an unknown flag gets a "did you mean"; --password points to --password-stdin', async () => {
  const typo = await runCli(['check', 'a/b:1', '--mutable-tgs', 'latest']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown flag --mutable-tgs.*Did you mean --mutable-tags\?/);
  const prefix = await runCli(['check', 'a/b:1', '--insecure', 'localhost:5000']);
  assert.match(prefix.stderr, /unknown flag --insecure\b.*Did you mean --insecure-registries\?/);
  const password = await runCli(['check', 'a/b:1', '--username', 'u', '--password', 'hunter2']);
  assert.equal(password.code, 2);
  assert.match(password.stderr, /unknown flag --password\b.*--password-stdin/);
  assert.equal(password.stderr.trim().split('\n').length, 1, 'one line');
  // A short flag with its value glued on (-pHUNTER2) is named by its letter alone.
  const glued = await runCli(['check', 'a/b:1', '-pHUNTER2']);
  assert.equal(glued.code, 2);
  assert.match(glued.stderr, /unknown flag -p\b/);
  assert.ok(!glued.stderr.includes('HUNTER2'), glued.stderr);
});

test('--version prints the package version', async () => {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `immutag ${pkg.version}\n`);
  assert.deepEqual(JSON.parse((await runCli(['--version', '--json'])).stdout), { version: pkg.version });
});

test('a password without --username is an error, not silently dropped', async () => {
  const env = await runCli(['check', `${reg.host}/cli/app:9.0`], { NODE_EXTRA_CA_CERTS: reg.caFile!, IMMUTAG_PASSWORD: reg.password });
  assert.equal(env.code, 2);
  assert.match(env.stderr, /a password was given \(\$IMMUTAG_PASSWORD\) but no --username/);
  const stdin = await runCli(['check', `${reg.host}/cli/app:9.0`, '--password-stdin', '--json'], { NODE_EXTRA_CA_CERTS: reg.caFile! }, `${reg.password}\n`);
  assert.equal(stdin.code, 2);
  assert.equal((JSON.parse(stdin.stdout) as { error: { code: string } }).error.code, 'INVALID_INPUT');
  assert.ok(!stdin.stderr.includes(reg.password) && !stdin.stdout.includes(reg.password));
});

test('flags are named as the Action inputs, and the singular forms work too', async (t) => {
  const plain = await registryFor(t);
  await pushImage(plain, image.ociRef, 'cli/names:latest');
  for (const [insecure, mutable, tagFlag] of [['--insecure-registries', '--mutable-tags', '--tags'], ['--insecure-registry', '--mutable-tag', '--tag']] as const) {
    const r = await runCli(['check', insecure, plain.host, mutable, 'latest', tagFlag, `${plain.host}/cli/names:latest`, `${plain.host}/cli/names:2.0`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { tags: { reference: string; state: string }[] };
    assert.deepEqual(doc.tags.map((t) => t.state).sort(), ['would-create', 'would-move']);
    // Each tag's verdict is in the log at the default level, not only with --verbose.
    assert.match(r.stderr, /^Check the tags\n(.*\n)*127\.0\.0\.1:\d+\/cli\/names:2\.0: does not exist → new$/m);
  }
  // A loopback registry needs no entry (scheme.ts); the IPv4-mapped spelling of the same
  // address is not loopback to immutag (nor to crane), so it stands for a remote host.
  assert.equal((await runCli(['check', `${plain.host}/cli/names:2.0`])).code, 0, 'loopback: reached over plain HTTP');
  const remote = `[::ffff:7f00:1]:${new URL(plain.url).port}`;
  const notListed = await runCli(['check', `${remote}/cli/names:2.0`]);
  assert.equal(notListed.code, 2);
  assert.match(notListed.stderr, new RegExp(`answers in plain HTTP, not HTTPS\\. List ${remote.replace(/[[\]]/g, '\\$&')} in insecure-registries`));
  assert.doesNotMatch(notListed.stderr, /SSL routines|openssl/, 'no OpenSSL dump');
});

test('--json: per-tag states with digests on a violation, with the error code and hint', async () => {
  const r = await runCli(['check', `${reg.host}/cli/app:1.0`, `${reg.host}/cli/app:7.0`, '--username', reg.username, '--json'], env());
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.stdout) as { result: string; tags: { reference: string; state: string; digest?: string }[]; error: { code: string; hint: string } };
  assert.equal(doc.result, 'violation');
  assert.deepEqual(doc.tags.map((t) => [t.reference, t.state, t.digest]), [
    [`${reg.host}/cli/app:1.0`, 'refused', digest],
    [`${reg.host}/cli/app:7.0`, 'skipped', undefined],
  ]);
  assert.equal(doc.error.code, 'TAG_EXISTS');
  assert.ok(doc.error.hint.length > 0);
});

test('--json with --summary: still one document, the Markdown inside it', async () => {
  const r = await runCli(['check', `${reg.host}/cli/app:8.0`, '--username', reg.username, '--json', '--summary'], env());
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { summary: string };
  assert.match(doc.summary, /immutag: Tags are free/);
});

test('on Node older than 24 the entry prints one line naming the Node needed, and exits 2', async () => {
  const old = await oldNode();
  const r = await runCliWith(old.path, ['check', 'a/b:1']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `immutag: needs Node.js 24 or later; this is Node.js ${old.version}. In a clone of immutag, \`npm ci\` installs Node 24 and \`npx immutag\` uses it.\n`);
  const j = await runCliWith(old.path, ['check', 'a/b:1', '--json']);
  assert.equal(j.code, 2);
  assert.equal((JSON.parse(j.stdout) as { error: { code: string } }).error.code, 'UNSUPPORTED_NODE');
});

/** The machine's own Node (Debian's nodejs, 20 here; scripts/setup.sh installs it): the one a user would run by mistake. */
async function oldNode(): Promise<{ path: string; version: string }> {
  const { execFileSync } = await import('node:child_process');
  const candidates = ['/usr/bin/node', ...execFileSync('which', ['-a', 'node'], { encoding: 'utf8' }).split('\n').filter(Boolean)];
  for (const path of candidates) {
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
      if (Number(/^v(\d+)/.exec(version)?.[1]) < 24) return { path, version };
    } catch {
      // not runnable: try the next
    }
  }
  assert.fail('no Node older than 24 on this machine: scripts/setup.sh installs Debian\'s nodejs for this test');
}

async function runCliWith(node: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { execFile } = await import('node:child_process');
  const cli = new URL('../dist/cli.js', import.meta.url).pathname;
  return new Promise((resolve) => {
    execFile(node, [cli, ...args], { env: { PATH: process.env['PATH'] } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

test('exit 2 when the registry cannot be reached: not being able to see is not a pass', async () => {
  // startRegistry, not the fixture: this registry is stopped on purpose, for an address nothing answers on.
  const gone = await startRegistry();
  await gone.stop();
  const r = await runCli(['check', `${gone.host}/cli/app:1.0`, '--insecure-registry', gone.host]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /ERROR/);
});

test('push over TLS with token auth (HTTP/2 where the registry offers it): a 20 MiB layer arrives intact, a re-push uploads nothing', async () => {
  const { randomBytes } = await import('node:crypto');
  const big = await buildImage({ files: { '/data/blob.bin': randomBytes(20 * 1024 * 1024), '/id': `big ${Date.now()}` } });
  try {
    const ref = `${reg.host}/cli/big:1.0`;
    const first = await runCli(['push', '--image', big.layout, ref, '--username', reg.username, '--scan', 'none', '--json'], env());
    assert.equal(first.code, 0, first.stderr);
    const out = JSON.parse(first.stdout) as { digest: string; pushed: Record<string, string> };
    assert.deepEqual(out.pushed, { [ref]: 'created' });
    assert.equal(await inspectDigest(reg, 'cli/big:1.0'), out.digest);
    // skopeo pulls every blob back and checks each digest itself.
    const { run } = await import('./support/exec.ts');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'immutag-pull-'));
    try {
      await run('skopeo', ['copy', '--quiet', ...reg.skopeoSrcArgs(), `docker://${reg.host}/cli/big@${out.digest}`, `dir:${join(dir, 'img')}`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const again = await runCli(['push', '--image', big.layout, ref, '--username', reg.username, '--scan', 'none', '--json'], env());
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((JSON.parse(again.stdout) as { pushed: Record<string, string> }).pushed, { [ref]: 'unchanged' });
  } finally {
    await removeLayout(big);
  }
});

test('the report names the platform of a single-manifest image from its config, not `unknown`; --comment-file writes the comment', async (t) => {
  const plain = await registryFor(t);
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'immutag-comment-'));
  try {
    const r = await runCli(['push', '--image', image.layout, `${plain.host}/cli/one:1.0`, '--insecure-registries', plain.host,
      '--vuln-db', 'test/fixtures/osv/records', '--summary', '--json', '--comment-file', join(dir, 'comment.md')]);
    assert.equal(r.code, 0, r.stderr);
    const { summary, digest: pushed } = JSON.parse(r.stdout) as { summary: string; digest: string };
    assert.match(summary, /^- `linux\/[a-z0-9]+` \(/m);
    assert.doesNotMatch(summary, /`unknown`/);
    const comment = await readFile(join(dir, 'comment.md'), 'utf8');
    assert.match(comment, /^<!-- immutag:[0-9a-f]{16} -->\n### ✅ immutag: Pushed: ready to deploy\n\n\*\*Deploy\*\* `sha256:[0-9a-f]{8}…`/);
    assert.ok(comment.includes(`${plain.host}/cli/one@${pushed}`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('from a clone, `npx immutag` runs the CLI with the Node 24 that npm ci installed, even when the machine Node is older', async () => {
  const { execFile } = await import('node:child_process');
  const { dirname } = await import('node:path');
  const old = await oldNode();
  // The npm that runs `npm test`; `npx` itself when the file is run on its own.
  const npmCli = process.env['npm_execpath'];
  const [cmd, args] = npmCli?.endsWith('.js')
    ? [old.path, [npmCli, 'exec', '--no-install', '--', 'immutag', '--version']]
    : ['npx', ['--no-install', 'immutag', '--version']];
  const root = new URL('..', import.meta.url).pathname;
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(cmd, args, { cwd: root, env: { PATH: `${dirname(old.path)}:/usr/bin:/bin`, HOME: process.env['HOME'] } }, (err, stdout, stderr) => {
      done({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^immutag \d+\.\d+\.\d+\n$/);
});

test('a reader that goes away (`| head`) does not stop a push between two tags: every tag is written and the exit code is still the verdict', async () => {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const tags = ['1.0', '1', 'latest'].map((t) => `${reg.host}/cli/pipe:${t}`);
  const child = spawn(process.execPath, [cli, 'push', '--image', image.layout, ...tags, '--username', reg.username, '--scan', 'none', '--json'],
    { env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Both readers close before the first line: every write of the run meets a closed pipe (EPIPE).
  child.stdout.destroy();
  child.stderr.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(code, 0, 'a passing push with no one reading is still a pass: not 1 (violation), and never a crash mid-push');
  for (const tag of ['1.0', '1', 'latest']) assert.equal(await inspectDigest(reg, `cli/pipe:${tag}`), digest, `cli/pipe:${tag} was written`);
});

test('no REF, or a flag the command does not use, is an error (exit 2), not a PASS that checked nothing', async () => {
  const D = `sha256:${'a'.repeat(64)}`;
  const cases: Array<[string[], RegExp]> = [
    [['check'], /no REF/],
    [['check', '--tags', ''], /no REF/],
    [['verify', '--digest', D], /no REF/],
    [['check', 'a/b:1', '--scan', 'trivy'], /check does not take --scan/],
    [['check', '--scan', 'none'], /no REF/],
    [['check', 'a/b:1', '--fail-on', 'critical', '--ignore-file', '/nonexistent'], /check does not take --fail-on, --ignore-file/],
    [['check', 'a/b:1', '--report', '/tmp/r.json'], /check does not take --report/],
    [['verify', '--digest', D, 'a/b:1', '--no-push'], /verify does not take --no-push/],
    [['verify', '--digest', D, 'a/b:1', '--promote-same-revision'], /verify does not take --promote-same-revision/],
    [['push', '--image', image.layout, 'a/b:1', '--scan', 'none', '--sarif', '/tmp/s.sarif'], /scan: none.*sarif|sarif.*scan: none/],
  ];
  for (const [args, words] of cases) {
    const r = await runCli([...args, '--json']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    const doc = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    assert.equal(doc.error.code, 'INVALID_INPUT', args.join(' '));
    assert.match(doc.error.message, words, args.join(' '));
  }
});

test('pin: --json keeps stdout one JSON document with --summary and --help; a password without --username is an error, not an anonymous request', async (t) => {
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'Dockerfile'), 'ARG BASE=alpine:3.20\nFROM ${BASE}\n');
  const both = await runCli(['pin', '--check', dir, '--json', '--summary']);
  const doc = JSON.parse(both.stdout) as { result: string; summary?: string };
  assert.match(doc.summary ?? '', /immutag pin/, 'the Markdown is inside the document');
  const help = await runCli(['pin', '--help', '--json']);
  assert.equal(help.code, 0);
  assert.match((JSON.parse(help.stdout) as { usage: string }).usage, /immutag pin/);
  for (const [args, env, input] of [[['--password-stdin'], {}, 'pw\n'], [[], { IMMUTAG_PASSWORD: 'pw' }, undefined]] as const) {
    const r = await runCli(['pin', '--check', dir, ...args, '--json'], env, input);
    assert.equal(r.code, 2, r.stderr);
    assert.match((JSON.parse(r.stdout) as { error: { message: string } }).error.message, /no --username/);
  }
});

test('pin after the flags both commands take (immutag --json pin …, --verbose too) is the pin command', async (t) => {
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'Dockerfile'), 'ARG BASE=alpine:3.20\nFROM ${BASE}\n');
  for (const lead of [['--json'], ['--verbose', '--json'], ['--json', '--verbose']]) {
    const r = await runCli([...lead, 'pin', '--check', dir]);
    // Found by a review: these were sent to the main parser ('unknown command "pin"').
    assert.doesNotMatch(r.stderr, /unknown command|unknown flag/, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { mode: string }).mode, 'check', lead.join(' '));
  }
});

test('--comment-file in a directory that does not exist is refused before anything is pushed', async () => {
  const ref = `${reg.host}/cli/commentfile:1.0`;
  const r = await runCli(['push', '--image', image.layout, ref, '--username', reg.username, '--scan', 'none', '--json', '--comment-file', '/nonexistent/dir/c.md'], env());
  assert.equal(r.code, 2, r.stderr);
  const doc = JSON.parse(r.stdout) as { result: string; error: { code: string; message: string } };
  assert.equal(doc.error.code, 'INVALID_INPUT');
  assert.match(doc.error.message, /--comment-file \/nonexistent\/dir\/c\.md/);
  const after = await runCli(['check', ref, '--username', reg.username, '--json'], env());
  assert.equal(after.code, 0, after.stderr);
  assert.deepEqual((JSON.parse(after.stdout) as { tags: { state: string }[] }).tags.map((t) => t.state), ['would-create'], 'nothing was tagged');
});

test('a proxy password in HTTPS_PROXY never reaches the output, even when a scanner prints the proxy URL', async () => {
  const { fakeScanner } = await import('./support/fake-scanner.ts');
  const password = 'pr0xy-s3cret/+=';
  const proxy = `http://proxyuser:${encodeURIComponent(password)}@127.0.0.1:9`;
  const fake = await fakeScanner('grype', { exit: 1, stderr: `proxyconnect tcp: dial ${proxy}: connection refused (${password})` });
  try {
    const r = await runCli(['push', '--image', image.layout, `${reg.host}/cli/proxied:1.0`, '--username', reg.username, '--no-push', '--scan', 'grype', '--json'],
      { ...env(), ...fake.env, HTTPS_PROXY: proxy, NO_PROXY: '127.0.0.1' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /grype exited with code 1/);
    for (const form of [password, encodeURIComponent(password)]) {
      assert.ok(!r.stderr.includes(form) && !r.stdout.includes(form), `the proxy password (${form}) is masked: ${r.stderr}`);
    }
    assert.match(r.stderr, /proxyuser:\*\*\*@127\.0\.0\.1:9/);
  } finally {
    await fake.cleanup();
  }
});

test('verify: a tag that does not exist is said to be missing (TAG_MISSING), never "refused" or "names another digest", with what to check', async () => {
  const r = await runCli(['verify', `${reg.host}/cli/app:1.0`, `${reg.host}/cli/app:never-pushed`, '--digest', digest, '--username', reg.username, '--scan', 'none', '--json'], env());
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } };
  assert.equal(out.error.code, 'TAG_MISSING');
  assert.match(out.error.message, /Tag missing: .*never-pushed/);
  assert.match(out.error.hint, /does not exist/);
  assert.doesNotMatch(out.error.hint, /refused by the registry|Bump the version|mutable-tags/);
  assert.match(r.stderr, /VIOLATION: tags: 1 verified, 1 missing; .*never-pushed does not exist: the push did not write it/);
  assert.doesNotMatch(r.stderr, /refused|names another digest/);
});
