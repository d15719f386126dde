// Review: a scanner's stderr is kept as its last 4096 characters
// (src/scan/engines/process.ts: `stderr = (stderr + chunk).slice(-STDERR_TAIL)`) and the
// first of its last 5 lines is quoted in the error. The cut is made before anything is
// scrubbed: when it falls inside a secret the scanner printed (the proxy URL, which the
// scanner gets in its environment), what is left is no longer the whole secret and the
// scrubber lets the rest through into stderr, --json and the report.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runCli } from './support/action-runner.ts';

const reg = await useRegistry({ auth: 'token', tls: true });
let image: BuiltImage;
before(async () => {
  image = await buildImage();
});
after(async () => {
  await removeLayout(image);
});

test('a proxy password cut by the scanner-stderr tail is not shown in part', async () => {
  const { fakeScanner } = await import('./support/fake-scanner.ts');
  const password = 'Pr0xyPassw0rdThatIsLongEnoughToMatter2024';
  const proxy = `http://proxyuser:${password}@127.0.0.1:9`;
  const line = `using proxy ${proxy}: connection refused; `;
  // One long log line (a Go panic, a debug dump) whose 4096-character tail starts 10
  // characters into the password: 4096 - (characters from there to the end) of filler after it.
  const fromCut = line.length - (line.indexOf(password) + 10);
  const filler = 'y'.repeat(4096 - fromCut - 1); // printf adds \n
  const fake = await fakeScanner('grype', { exit: 1, stderr: `${'x'.repeat(100)} ${line}${filler}` });
  try {
    const r = await runCli(['push', '--image', image.layout, `${reg.host}/cli/proxied-cut:1.0`, '--username', reg.username, '--no-push', '--scan', 'grype', '--json'],
      { NODE_EXTRA_CA_CERTS: reg.caFile!, IMMUTAG_PASSWORD: reg.password, ...fake.env, HTTPS_PROXY: proxy, NO_PROXY: '127.0.0.1' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /grype exited with code 1/);
    const rest = password.slice(10);
    const where = (r.stderr + r.stdout).split('\n').find((l) => l.includes(rest));
    assert.equal(where, undefined, `the last ${rest.length} characters of the proxy password are shown:\n${where?.replace(/[xy]{20,}/g, 'xxx…')}`);
  } finally {
    await fake.cleanup();
  }
});
