// The proxy password in HTTPS_PROXY is masked in every form a scanner may print it in
// (cli.test.ts: the variable as written, percent-encoded by encodeURIComponent). A Go
// scanner (grype, trivy) that prints the proxy URL prints it as Go's url.URL.String()
// serialises it, which re-encodes the userinfo with Go's own rules: `@ / ? :` escaped,
// `+ = $ & , ;` left as they are. For HTTPS_PROXY=http://proxyuser:pr0xy-s3cret%2F%2B%3D@…
// (`go run` of url.Parse(...).String()) that is `pr0xy-s3cret%2F+=`: the scrubber knows
// Go's form, and every escaped form with lowercase hex (`%2f`, as some encoders write).
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

const env = () => ({ NODE_EXTRA_CA_CERTS: reg.caFile!, IMMUTAG_PASSWORD: reg.password });

test('a proxy password in HTTPS_PROXY never reaches the output when a Go scanner prints the proxy URL its own way', async () => {
  const { fakeScanner } = await import('./support/fake-scanner.ts');
  const password = 'pr0xy-s3cret/+=';
  const proxy = `http://proxyuser:${encodeURIComponent(password)}@127.0.0.1:9`;
  // What Go's net/url prints for that variable: url.Parse(proxy).String().
  const goForm = 'pr0xy-s3cret%2F+=';
  const fake = await fakeScanner('grype', { exit: 1, stderr: `using proxy http://proxyuser:${goForm}@127.0.0.1:9: connection refused` });
  try {
    const r = await runCli(['push', '--image', image.layout, `${reg.host}/cli/proxied-go:1.0`, '--username', reg.username, '--no-push', '--scan', 'grype', '--json'],
      { ...env(), ...fake.env, HTTPS_PROXY: proxy, NO_PROXY: '127.0.0.1' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /grype exited with code 1/);
    assert.ok(!r.stderr.includes(goForm) && !r.stdout.includes(goForm), `the proxy password (${goForm}) is masked: ${r.stderr}`);
  } finally {
    await fake.cleanup();
  }
});

test('percent-escaped forms of a secret are masked whatever the case of their hex digits', async () => {
  const { Secrets } = await import('../src/secrets.ts');
  const s = new Secrets();
  s.add('pr0xy-s3cret/+=');
  assert.equal(s.scrub('a pr0xy-s3cret%2f%2b%3d b'), 'a *** b');
  assert.equal(s.scrub('a pr0xy-s3cret%2f+= b'), 'a *** b');
});

test("Go's userinfo form of a secret holding every printable ASCII character and multi-byte ones is masked", async () => {
  const { Secrets } = await import('../src/secrets.ts');
  // Go's rule, byte by byte (net/url shouldEscape, encodeUserPassword): letters, digits,
  // -_.~ and $&+,;= stay; every other byte of the UTF-8 form is %XX.
  const goForm = (value: string): string => [...Buffer.from(value, 'utf8')]
    .map((b) => /[A-Za-z0-9\-_.~$&+,;=]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
  let ascii = '';
  for (let c = 0x20; c < 0x7f; c++) ascii += String.fromCharCode(c);
  for (const secret of [ascii, `pässwörd-€-😀-${ascii}`, "a!b'c(d)e*f"]) {
    const s = new Secrets();
    s.add(secret);
    assert.equal(s.scrub(`<${goForm(secret)}>`), '<***>', goForm(secret));
  }
});

// A scanner's stderr is kept as its last 4096 characters (process.ts) and its last lines
// are quoted in the error. The cut was made before anything was scrubbed: when it fell
// inside a secret the scanner printed (the proxy URL, which the scanner gets in its
// environment), the rest was no longer the whole secret and went through to stderr,
// --json and the report (found by a review). Only whole lines of a cut tail are quoted now.
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
