// Found by a review of 3f2aabe: writtenSecrets registers every /-?-#-separated part of a proxy
// password as a secret of its own. With HTTPS_PROXY=http://ci:latest/2024-Q4@proxy:3128
// (a password pasted without its %-escapes, the very case the commit is about) the parts
// "latest" and "2024-Q4"... and for 2024/Summer the part "2024" are masked in every text
// the run prints: tag names, CVE ids, dates in the report. The secret itself is the whole
// password; only Go's `invalid port ":2024" after host` quotes a part, and it quotes it
// with its colon and quotes around it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyCredentials } from '../src/http/proxy-env.ts';
import { Secrets } from '../src/secrets.ts';

function scrubberFor(proxy: string): Secrets {
  const secrets = new Secrets();
  for (const s of proxyCredentials({ HTTPS_PROXY: proxy })) secrets.add(s);
  return secrets;
}

test('a proxy password part does not mask an innocent tag or CVE id', () => {
  const secrets = scrubberFor('http://proxyuser:2024/Summer@proxy.example.com:3128');
  // The password and the part Go quotes as a port are still masked...
  assert.ok(!secrets.scrub('invalid proxy address "http://proxyuser:2024/Summer@proxy.example.com:3128"').includes('2024/Summer'));
  // ...but text that merely contains the part is report content, not the secret.
  const line = 'registry.example.com/team/app:2024.1 is affected by CVE-2024-3094';
  assert.equal(secrets.scrub(line), line);
});

test('a password like latest/main does not mask every "latest" and "main" in the report', () => {
  const secrets = scrubberFor('http://ci:latest/main@proxy.example.com:3128');
  const line = 'registry.example.com/team/app:latest moved; branch main';
  assert.equal(secrets.scrub(line), line);
});
