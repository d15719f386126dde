// Found by a review, fixed since: a registry whose TLS front speaks only TLS 1.0/1.1, or
// only ciphers Node does not offer, fails the handshake before any certificate is looked
// at, and the tag was rightly unknown; but the message said "the TLS certificate of HOST
// was not accepted" and the hint sent the user to set NODE_EXTRA_CA_CERTS or drop TLS,
// when the server's TLS version or ciphers are what must change. The front terminates TLS
// in front of the real registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { getCACertificates, setDefaultCACertificates, type TlsOptions } from 'node:tls';
import { parseReference } from '../src/reference.ts';
import { registryFor } from './support/registry.ts';
import { clientFor } from './support/registry-client.ts';
import { startTlsFront } from './support/tls-front.ts';

const FRONTS: Array<[string, TlsOptions]> = [
  ['TLS 1.0 only', { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }],
  ['TLS 1.1 only', { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' }],
  ['TLS 1.2 with only a cipher Node does not offer', { maxVersion: 'TLSv1.2', ciphers: 'CAMELLIA128-SHA:@SECLEVEL=0' }],
];

test('a registry that speaks only an old TLS version or weak ciphers: unknown, and the message says the handshake failed, not the certificate', async (t) => {
  // The plain registry (tokenTls only makes its TLS material): the front terminates TLS with a certificate the client trusts.
  const reg = await registryFor(t, { auth: 'htpasswd', tokenTls: true });
  setDefaultCACertificates([...getCACertificates('default'), await readFile(reg.caFile!, 'utf8')]);
  for (const [name, options] of FRONTS) {
    const front = await startTlsFront(reg, options);
    const { client } = clientFor(reg, { options: { insecureRegistries: [] } });
    const state = await client.manifestState(parseReference(`${front.host}/old/app:1.0`));
    await client.close();
    await front.stop();
    assert.ok(state.kind === 'unknown' && state.code === 'REGISTRY_UNREACHABLE', `${name}: ${JSON.stringify(state)}`);
    assert.match(state.reason, /TLS/, `${name}: the reason names TLS`);
    assert.doesNotMatch(state.reason, /certificate of .* was not accepted/, `${name}: the server's certificate was never the problem: ${state.reason}`);
    assert.match(state.reason, /version or cipher|shares no cipher/, `${name}: ${state.reason}`);
    assert.doesNotMatch(state.hint, /NODE_EXTRA_CA_CERTS/, `${name}: a CA does not fix a TLS version or cipher mismatch: ${state.hint}`);
  }
});
