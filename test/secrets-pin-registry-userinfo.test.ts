// Review: `immutag pin --registry` takes the registries the password may be sent to. A
// value written with credentials (`user:pw@host`, `https://user:pw@host/`) is quoted whole
// in the error (src/registry/origin.ts parse(): `"${hostPort}" is not a registry
// host[:port]`, reached from staticCredentials -> registryKey), on stderr and in --json.
// insecure-registries entries and image references with userinfo are refused with the
// credentials replaced by `***`; --registry is not.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from './support/action-runner.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-review-cred-registry-'));
after(() => rm(dir, { recursive: true, force: true }));

for (const value of ['robot:Hunter2-S3cret@127.0.0.1:1', 'https://robot:Hunter2-S3cret@127.0.0.1:1/']) {
  test(`pin --registry ${value.replace('Hunter2-S3cret', '…')}: the password in it is not printed`, async () => {
    await writeFile(join(dir, 'a.yaml'), 'image: 127.0.0.1:1/a/b:1.0\n');
    const r = await runCli(['pin', dir, '--username', 'robot', '--password-stdin', '--registry', value, '--json'], {}, 'the-real-password\n');
    assert.equal(r.code, 2);
    const shown = (r.stderr + r.stdout).split('\n').filter((l) => l.includes('Hunter2-S3cret'));
    assert.deepEqual(shown, [], 'the --registry password is printed');
  });
}
