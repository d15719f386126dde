// The least a Node process can do for a tag check over plain HTTP, as the check
// benchmark's reference row: GET /v2/ for the challenge, one token, each tag's
// manifest GET (8 at a time on kept-alive connections) and its sha256. No verification, no retries, no timeouts,
// no report: what is left is Node starting, its HTTP and crypto modules, and the
// registry's own time. immutag's distance from this row is its own cost; skopeo's
// distance from it bounds the ratio any Node program could reach on this machine.
//
// usage: node check-floor.mjs <registry origin> <repository> <tag>...
// (IMMUTAG_USERNAME and IMMUTAG_PASSWORD hold the credentials.) Plain JavaScript: a .ts
// file would have Node load its type stripper first, which is not the floor.
const http = process.getBuiltinModule('node:http');
const { createHash } = process.getBuiltinModule('node:crypto');

const [origin, repository, ...tags] = process.argv.slice(2);
if (origin === undefined || repository === undefined) throw new Error('usage: check-floor.mjs <origin> <repository> <tag>...');
const ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json';
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** GET `url`: its status, headers and whole body. */
function get(url, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const ping = await get(new URL('/v2/', origin), {});
const challenge = String(ping.headers['www-authenticate'] ?? '');
const param = (name) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
const tokenUrl = new URL(param('realm'));
tokenUrl.searchParams.set('service', param('service'));
tokenUrl.searchParams.set('scope', `repository:${repository}:pull`);
const basic = Buffer.from(`${process.env['IMMUTAG_USERNAME']}:${process.env['IMMUTAG_PASSWORD']}`).toString('base64');
const { token } = JSON.parse((await get(tokenUrl, { authorization: `Basic ${basic}` })).body.toString('utf8'));

const answers = await Promise.all(tags.map(async (tag) => {
  const res = await get(new URL(`/v2/${repository}/manifests/${tag}`, origin), { authorization: `Bearer ${token}`, accept: ACCEPT });
  return { tag, status: res.status, digest: `sha256:${createHash('sha256').update(res.body).digest('hex')}` };
}));
process.stdout.write(`${JSON.stringify(answers)}\n`);
process.exit(0);
