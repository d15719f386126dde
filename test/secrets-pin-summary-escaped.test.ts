// Review: `immutag pin --summary` renders the pin report to Markdown BEFORE scrubbing it
// (src/pin/cli.ts: scrub(renderPinSummary(report)), the report never scrubDeep'd), so
// a secret the registry/token service echoed is backslash-escaped by the renderer
// (`_` -> `\_`) and the final scrub no longer matches it. The main CLI, the Action and
// publishPinReport all scrubDeep the report first; the pin CLI does not.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from './support/action-runner.ts';
import { startRegistry } from './support/registry.ts';

const reg = await startRegistry({ auth: 'token', tokenEcho: true, refreshToken: 'the-right-refresh-token' });
const realmHost = new URL(reg.token!.url).host;
const work = await mkdtemp(join(tmpdir(), 'immutag-review-cred-pin-'));
after(async () => {
  await reg.stop();
  await rm(work, { recursive: true, force: true });
});

test('pin --summary: an echoed refresh token with "_" is not shown (escaped) in the Markdown', async () => {
  const refresh = 'wrong_refresh_token_4711';
  const config = join(work, 'docker');
  await mkdir(config, { recursive: true });
  await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [reg.host]: { identitytoken: refresh } } }));
  const dir = join(work, 'deploy');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'a.yaml'), `image: ${reg.host}/words/app:1.0\n`);
  const r = await runCli(['pin', '--summary', '--insecure-registries', reg.host, '--insecure-registries', realmHost, dir], { DOCKER_CONFIG: config }, '');
  // The echo did reach the output (masked on stderr, where no escaping happens).
  assert.match(r.stderr, /refresh_token=\*\*\*/, r.stderr);
  assert.ok(!r.stderr.includes(refresh), `stderr shows the refresh token:\n${r.stderr}`);
  // What a reader of the rendered Markdown sees: escapes resolved.
  const rendered = r.stdout.replace(/\\(.)/g, '$1');
  assert.ok(!rendered.includes(refresh), `the --summary Markdown shows the refresh token:\n${r.stdout.split('\n').filter((l) => l.includes('refresh')).join('\n')}`);
});
