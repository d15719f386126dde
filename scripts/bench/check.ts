// Issue 3's benchmark: 20 tags of one repository behind token auth over TLS, checked
// by the immutag CLI, by a loop of `skopeo inspect --raw`, and by a loop of `curl -I`
// with a token fetched once (the floor: no auth handshake per tag at all).
import { startRegistry } from '../../test/support/registry.ts';
import { buildImage, pushImage, removeLayout } from '../../test/support/images.ts';
import { run } from '../../test/support/exec.ts';
import { loop, measure, median } from './measure.ts';
import type { BenchRow } from './row.ts';

const TAGS = 20;
const ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json';

export async function benchCheck(): Promise<BenchRow[]> {
  const section = `check ${TAGS} tags (token auth, TLS)`;
  const reg = await startRegistry({ auth: 'token', tls: true });
  const image = await buildImage();
  try {
    for (let i = 1; i <= TAGS; i++) await pushImage(reg, image.ociRef, `bench/app:1.${i}`);
    const refs = Array.from({ length: TAGS }, (_, i) => `${reg.host}/bench/app:1.${i + 1}`);
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: reg.caFile!, IMMUTAG_PASSWORD: reg.password };

    const before = reg.token!.requests();
    const cli = await median(3, () => measure(process.execPath, ['dist/cli.js', 'check', ...refs, '--username', reg.username, '--mutable-tags', '*', '--json'], env));
    const tokensPerRun = (reg.token!.requests() - before) / 3;
    const requests = (JSON.parse(cli.stdout) as { requests: number }).requests;

    const skopeo = await median(3, () => loop(TAGS, 'skopeo', (i) => ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${refs[i]}`]));

    const scope = 'repository:bench/app:pull';
    const { stdout } = await run('curl', ['-sf', '--cacert', reg.caFile!, '-u', `${reg.username}:${reg.password}`,
      `${reg.token!.url}?service=immutag-test-registry&scope=${scope}`]);
    const token = (JSON.parse(stdout) as { token: string }).token;
    const curl = await median(3, () => loop(TAGS, 'curl', (i) => ['-sfI', '--cacert', reg.caFile!, '-H', `Authorization: Bearer ${token}`,
      '-H', `Accept: ${ACCEPT}`, `${reg.url}/v2/bench/app/manifests/1.${i + 1}`]));

    return [
      { section, tool: 'immutag check (one process)', seconds: cli.seconds, peakRssMb: cli.peakRssMb, requests,
        note: `${tokensPerRun} token request(s) per run; ${requests} registry+token HTTP requests for ${TAGS} tags` },
      { section, tool: `skopeo inspect --raw x${TAGS}`, seconds: skopeo.seconds, peakRssMb: skopeo.peakRssMb },
      { section, tool: `curl -I x${TAGS}, token cached (floor)`, seconds: curl.seconds, peakRssMb: curl.peakRssMb },
    ];
  } finally {
    await reg.stop();
    await removeLayout(image);
  }
}
