// Generates a throwaway CA and a server certificate for 127.0.0.1/localhost with the
// real openssl, the way a self-hosted registry with a private CA is set up.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.ts';

export interface TlsMaterial {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** A directory holding ca.crt, as skopeo's --cert-dir expects. */
  certDir: string;
}

/** `san`: the server certificate's subjectAltName (default: the address and localhost). */
export async function makeTls(dir: string, san = 'IP:127.0.0.1,DNS:localhost'): Promise<TlsMaterial> {
  await mkdir(dir, { recursive: true });
  const p = (name: string) => join(dir, name);
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=immutag test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
  await writeFile(p('server.ext'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  await run('openssl', ['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'),
    '-CAcreateserial', '-out', p('server.pem'), '-days', '2', '-extfile', p('server.ext')]);
  const certDir = p('certs.d');
  await mkdir(certDir, { recursive: true });
  await run('cp', [p('ca.pem'), join(certDir, 'ca.crt')]);
  return { caFile: p('ca.pem'), certFile: p('server.pem'), keyFile: p('server.key'), certDir };
}
