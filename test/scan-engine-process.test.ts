// What an external scanner is given of our environment: everything it may use (its own
// settings, proxies, caches, a GITHUB_TOKEN the user set for it), never the Action's
// inputs (the registry password, the GitHub token), the runner's ACTIONS_* tokens or
// IMMUTAG_PASSWORD. `env` stands in for the scanner: it prints what it was given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScanner } from '../src/scan/engines/process.ts';

const given = async (env?: NodeJS.ProcessEnv) =>
  (await runScanner({ name: 'env', bin: 'env', args: [], installHint: 'coreutils', ...(env ? { env } : {}) })).split('\n').filter(Boolean);

test('a scanner never gets the Action\'s inputs, the runner\'s tokens or IMMUTAG_PASSWORD', async () => {
  const lines = await given({
    PATH: process.env['PATH'], HOME: '/home/runner', HTTPS_PROXY: 'http://proxy:3128', TRIVY_CACHE_DIR: '/cache', GITHUB_TOKEN: 'ghs_user_set',
    'INPUT_PASSWORD': 'registry-secret', 'INPUT_GITHUB-TOKEN': 'ghs_input', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc', ACTIONS_RUNTIME_TOKEN: 'rt',
    IMMUTAG_PASSWORD: 'cli-secret',
  });
  const names = lines.map((l) => l.slice(0, l.indexOf('=')));
  for (const kept of ['PATH', 'HOME', 'HTTPS_PROXY', 'TRIVY_CACHE_DIR', 'GITHUB_TOKEN']) assert.ok(names.includes(kept), `${kept} kept: ${names.join(' ')}`);
  for (const dropped of ['INPUT_PASSWORD', 'INPUT_GITHUB-TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_RUNTIME_TOKEN', 'IMMUTAG_PASSWORD']) {
    assert.ok(!names.includes(dropped), `${dropped} given to the scanner`);
  }
  assert.ok(!lines.join('\n').match(/registry-secret|ghs_input|oidc|cli-secret/));
});

test('without an explicit environment the process\'s own is filtered the same way', async () => {
  const saved = process.env['IMMUTAG_PASSWORD'];
  process.env['IMMUTAG_PASSWORD'] = 'cli-secret';
  try {
    const lines = await given();
    assert.ok(lines.some((l) => l.startsWith('PATH=')));
    assert.ok(!lines.some((l) => l.startsWith('IMMUTAG_PASSWORD=')));
  } finally {
    if (saved === undefined) delete process.env['IMMUTAG_PASSWORD'];
    else process.env['IMMUTAG_PASSWORD'] = saved;
  }
});
