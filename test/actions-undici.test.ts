// The Action's GitHub client gets `fetch` and `ProxyAgent` from src/http/actions-undici.ts
// instead of two bundled copies of undici 6 (scripts/build.mjs). These tests hold the two
// claims that makes: the runner's proxy is still used, and the bundle carries one undici.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fetch, ProxyAgent } from '../src/http/actions-undici.ts';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('Node fetch goes through a CONNECT proxy given as the ProxyAgent dispatcher', async () => {
  const origin = createServer((req, res) => res.end(`hello ${req.url}`));
  const tunnels: string[] = [];
  const proxy = createServer((_req, res) => { res.statusCode = 405; res.end(); });
  proxy.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const target = await listen(origin);
  const proxyHost = await listen(proxy);
  const dispatcher = new ProxyAgent({ uri: `http://${proxyHost}` });
  try {
    const res = await fetch(`http://${target}/repos/acme/api`, { dispatcher } as RequestInit);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hello /repos/acme/api');
    assert.deepEqual(tunnels, [target], 'the request went through the proxy');
  } finally {
    await dispatcher.close();
    origin.closeAllConnections();
    proxy.closeAllConnections();
    await new Promise((resolve) => origin.close(resolve));
    await new Promise((resolve) => proxy.close(resolve));
  }
});

test('the Action bundle carries one undici, and its start-up code stays under 700 KB', async () => {
  const entry = await readFile(new URL('../dist/index.js', import.meta.url), 'utf8');
  const chunks = [...new Set([...entry.matchAll(/from"\.\/(chunks\/[^"]+\.js)"/g)].map((m) => m[1]!))];
  let bytes = Buffer.byteLength(entry);
  let undiciCopies = 0;
  const startUp = [entry, ...await Promise.all(chunks.map((c) => readFile(new URL(`../dist/${c}`, import.meta.url), 'utf8')))];
  for (const chunk of startUp) {
    if (chunk !== entry) bytes += Buffer.byteLength(chunk);
    // Each undici copy embeds its llhttp WebAssembly parser once.
    undiciCopies += chunk.split('AGFzbQEAAAAB').length - 1;
  }
  assert.ok(bytes < 700 * 1024, `dist/index.js and the chunks it imports weigh ${bytes} bytes`);
  assert.ok(undiciCopies <= 2, `llhttp embedded ${undiciCopies} times (undici 7 has a plain and a SIMD build)`);
  // @actions/core's OIDC client, and with it @actions/http-client and `tunnel` (node:tls),
  // load on first use (src/http/actions-oidc.ts), not at start-up.
  for (const marker of ['HttpClientError', 'TunnelingAgent']) {
    assert.ok(!startUp.some((chunk) => chunk.includes(marker)), `${marker} is in the Action's start-up code`);
  }
});
