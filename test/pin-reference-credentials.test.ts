// Found by a review, fixed since: a deploy file whose image reference carried credentials
// the URL way (`user:password@registry/repo:tag`) was refused by the parser without
// quoting them ("***@registry/…"), yet pin's row kept the reference exactly as written,
// so the log line, --json and --summary (and so the Action's annotations, job summary and
// pull-request comment) printed the password right beside the masked message. Rows now
// mask what comes before such an `@`, as the parser does.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from './support/action-runner.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-review-cred-pin-file-'));
after(() => rm(dir, { recursive: true, force: true }));

test('pin: a deploy file reference with user:password@ is reported without the password (stderr, --json, --summary)', async () => {
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: deployer:Hunter2-S3cret@127.0.0.1:1/a/b:1.0\n');
  const r = await runCli(['pin', dir, '--json', '--summary']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /\*\*\*@127\.0\.0\.1:1\/a\/b:1\.0/, 'the reference is refused as holding credentials');
  const shown = (r.stderr + r.stdout).split('\n').filter((l) => l.includes('Hunter2-S3cret'));
  assert.deepEqual(shown, [], 'the password written in the deploy file is printed');
});

test('pin: a URL with user:token@ in an image field is shown masked too', async () => {
  const sub = join(dir, 'url');
  await mkdir(sub);
  await writeFile(join(sub, 'compose.yaml'), 'services:\n  app:\n    image: https://robot:Tok3n-Value-77@registry.example.com/a/b:1.0\n');
  const r = await runCli(['pin', sub, '--json', '--summary']);
  const out = r.stderr + r.stdout;
  assert.doesNotMatch(out, /Tok3n-Value-77/, out);
  assert.match(out, /\*\*\*@registry\.example\.com\/a\/b:1\.0/, out);
});
