// Found by a review, fixed since: a TLS 1.2 server that requires a client certificate
// (mutual TLS) aborts with OpenSSL's handshake-failure alert, which was reported as "no
// TLS version or cipher both sides accept", with a hint to change versions the server
// already offers. The alert is ambiguous and now says both possibilities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseReference } from '../src/reference.ts';
import { registryFor } from './support/registry.ts';
import { clientFor } from './support/registry-client.ts';
import { startTlsFront } from './support/tls-front.ts';

test('a TLS 1.2 registry front that requires a client certificate: the message does not blame the TLS version or ciphers', async (t) => {
  const reg = await registryFor(t, { auth: 'htpasswd', tokenTls: true });
  const ca = await readFile(reg.caFile!, 'utf8');
  setDefaultCACertificates([...getCACertificates('default'), ca]);
  const front = await startTlsFront(reg, { maxVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: true, ca });
  const { client } = clientFor(reg, { options: { insecureRegistries: [] } });
  const state = await client.manifestState(parseReference(`${front.host}/mtls/app:1.0`));
  await client.close();
  await front.stop();
  assert.ok(state.kind === 'unknown' && state.code === 'REGISTRY_UNREACHABLE', JSON.stringify(state));
  console.log(`${state.reason}\n${state.hint}`);
  assert.doesNotMatch(state.reason, /no TLS version or cipher/, `the server offers TLS 1.2 with current ciphers; it wants a client certificate: ${state.reason}`);
  assert.doesNotMatch(state.hint, /speaks TLS 1\.2 and 1\.3 with current ciphers; have/, `the hint sends the user to change a server that already offers TLS 1.2: ${state.hint}`);
});
