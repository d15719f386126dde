// Secrets never leave the process. A registry that echoes the Authorization header in
// its error body (here: the fault proxy in front of the real registry, answering the
// upload with the header it received) puts a secret into the run's error; the Action's
// job summary, pull-request comment (posted through the API, where no runner masks
// anything), outputs and log, the CLI's stdout/stderr/--summary/--json and the report
// files must all show it scrubbed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRegistry, type TestRegistry } from './support/registry.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction, runCli } from './support/action-runner.ts';
import { startGitHubStandIn, WRITE_TOKEN } from './support/github-server.ts';

const GHSA = 'GHSA-whgm-jr23-g3j9';
const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const UPLOADS = /\/blobs\/uploads\/$/;

let work: string;
let vulnDb: string;
let image: BuiltImage;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'immutag-secrets-'));
  vulnDb = join(work, 'osv');
  await mkdir(join(vulnDb, 'npm'), { recursive: true });
  await copyFile(fixture(`osv/records/npm/${GHSA}.json`), join(vulnDb, 'npm', `${GHSA}.json`));
  image = await buildImage({ files: { '/app/node_modules/ansi-html/package.json': '{"name":"ansi-html","version":"0.0.8"}', '/app/id': `secrets ${Date.now()}` } });
});

after(async () => {
  await removeLayout(image);
  await rm(work, { recursive: true, force: true });
});

function pullRequestEnv(apiUrl: string): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: fixture('github/pull_request.opened.json'),
    GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: 'Codertocat/Hello-World', GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    GITHUB_WORKFLOW: 'image', GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://github.com',
  };
}

/** Every form of the credential an echo could carry. */
function secretsOf(reg: TestRegistry): string[] {
  const b64 = Buffer.from(`${reg.username}:${reg.password}`).toString('base64');
  return [reg.password, b64, `Basic ${b64}`, WRITE_TOKEN];
}

function assertClean(where: string, text: string, secrets: string[]): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${where} shows a secret: ${JSON.stringify(secret)}\n${text.slice(0, 3000)}`);
  assert.ok(!/Bearer [\w.-]{20,}/.test(text), `${where} shows a bearer token: ${/.{0,200}Bearer [\w.-]{20,}.{0,50}/.exec(text)?.[0]}`);
}

/** The registry's complaint reached the report, with the header it quoted masked. */
function assertEchoMasked(where: string, text: string): void {
  assert.match(text, /not allowed with Authorization: (Basic|Bearer) \*\*\*/, `${where} should carry the masked echo`);
}

describe('a registry that echoes the Authorization header', () => {
  for (const auth of ['htpasswd', 'token'] as const) {
    describe(`${auth} auth`, () => {
      let reg: TestRegistry;
      let proxy: FaultProxy;
      let insecure: string;

      // startRegistry, not the fixture: one registry per describe(), whose before() and
      // after() run in turn; useRegistry is for a whole file.
      before(async () => {
        reg = await startRegistry({ auth });
        proxy = await startFaultProxy(reg.url, [{ method: 'POST', path: UPLOADS, action: { kind: 'echo-authorization', status: 403 } }]);
        insecure = [proxy.host, reg.token ? new URL(reg.token.url).host : ''].filter(Boolean).join('\n');
      });
      after(async () => {
        await proxy.stop();
        await reg.stop();
      });

      test('the Action: summary, comment, outputs, log and report files hold no secret', async () => {
        const github = await startGitHubStandIn();
        const files = join(work, `action-${auth}`);
        try {
          const r = await runAction({
            tags: `${proxy.host}/secrets/app:1.0`, image: image.layout, username: reg.username, password: reg.password,
            'insecure-registries': insecure, 'vuln-db': vulnDb, comment: 'auto', 'github-token': WRITE_TOKEN,
            report: join(files, 'report.json'), sarif: join(files, 'scan.sarif'), sbom: join(files, 'sbom.cdx.json'),
          }, pullRequestEnv(github.url));
          assert.equal(r.outputs['result'], 'error', r.stdout);
          assert.ok(proxy.count('POST', UPLOADS) > 0, 'the upload reached the echoing proxy');
          const comments = github.comments('Codertocat', 'Hello-World', 2);
          assert.equal(comments.length, 1);
          const log = r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n') + r.stderr;
          const reports = await Promise.all(['report.json', 'scan.sarif', 'sbom.cdx.json'].map((f) => readFile(join(files, f), 'utf8')));
          const secrets = secretsOf(reg);
          assertClean('the job summary', r.summary, secrets);
          assertClean('the pull-request comment', comments[0]!.body, secrets);
          assertClean('the outputs', JSON.stringify(r.outputs), secrets);
          assertClean('the log', log, secrets);
          for (const [i, text] of reports.entries()) assertClean(`report file ${i}`, text, secrets);
          assertEchoMasked('the job summary', r.summary.replace(/\\/g, ''));
          assertEchoMasked('the comment', comments[0]!.body.replace(/\\/g, ''));
          assertEchoMasked('the log', log);
        } finally {
          await github.close();
        }
      });

      test('the CLI: stdout (--summary, --json), stderr and report files hold no secret', async () => {
        const files = join(work, `cli-${auth}`);
        const r = await runCli([
          'push', '--image', image.layout, `${proxy.host}/secrets/app:2.0`, '--username', reg.username, '--password-stdin',
          ...insecure.split('\n').flatMap((h) => ['--insecure-registry', h]), '--vuln-db', vulnDb, '--summary', '--json', '--verbose',
          '--report', join(files, 'report.json'), '--sarif', join(files, 'scan.sarif'), '--sbom', join(files, 'sbom.cdx.json'),
        ], {}, `${reg.password}\n`);
        assert.equal(r.code, 2, r.stderr);
        const reports = await Promise.all(['report.json', 'scan.sarif', 'sbom.cdx.json'].map((f) => readFile(join(files, f), 'utf8')));
        const secrets = secretsOf(reg);
        assertClean('stdout', r.stdout, secrets);
        assertClean('stderr', r.stderr, secrets);
        for (const [i, text] of reports.entries()) assertClean(`report file ${i}`, text, secrets);
        assertEchoMasked('the --summary output', r.stdout.replace(/\\/g, ''));
        assertEchoMasked('stderr', r.stderr);
      });
    });
  }
});

describe('a token endpoint that echoes what it refused', () => {
  let reg: TestRegistry;
  let realmHost: string;

  // startRegistry, not the fixture: this describe() has a registry of its own (see above).
  before(async () => {
    reg = await startRegistry({ auth: 'token', tokenEcho: true, refreshToken: 'the-right-refresh-token' });
    realmHost = new URL(reg.token!.url).host;
  });
  after(async () => {
    await reg.stop();
  });

  test('a refused password: the echoed Basic header is masked in everything the CLI prints', async () => {
    const wrong = 'wrong-password-7Qz';
    const r = await runCli(['check', `${reg.host}/secrets/app:1.0`, '--username', reg.username, '--password-stdin',
      '--insecure-registry', reg.host, '--insecure-registry', realmHost, '--json', '--summary'], {}, `${wrong}\n`);
    assert.equal(r.code, 2, r.stderr);
    const b64 = Buffer.from(`${reg.username}:${wrong}`).toString('base64');
    assertClean('the CLI output', r.stdout + r.stderr, [wrong, b64]);
    assert.match(r.stderr, /refused Authorization: Basic \*\*\*/);
  });

  test('a refused identity token (Docker config identitytoken): the echoed refresh token is masked', async () => {
    const config = await mkdtemp(join(work, 'docker-config-'));
    const refresh = 'refresh/token+with=odd&chars';
    await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [reg.host]: { identitytoken: refresh } } }));
    const r = await runCli(['check', `${reg.host}/secrets/app:1.0`, '--insecure-registry', reg.host, '--insecure-registry', realmHost, '--json', '--summary'],
      { DOCKER_CONFIG: config }, '');
    assert.equal(r.code, 2, r.stderr);
    assertClean('the CLI output', r.stdout + r.stderr, [refresh, encodeURIComponent(refresh), new URLSearchParams({ r: refresh }).toString().slice(2)]);
    assert.match(r.stderr, /refused Authorization: \(none\) body: grant_type=refresh_token&refresh_token=\*\*\*/);
  });
});
