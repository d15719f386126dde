// npm run demo: immutag's main job end to end on this machine, with nothing but
// Debian's docker-registry, umoci and skopeo. It starts a throwaway registry, pushes a
// sample image with skopeo, then runs the immutag CLI as a user would.
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { startRegistry } from '../test/support/registry.ts';
import { buildImage, pushImage, removeLayout } from '../test/support/images.ts';

function say(line: string): void {
  process.stdout.write(`\n\x1b[1m== ${line}\x1b[0m\n`);
}

function immutag(args: string[]): Promise<number> {
  process.stdout.write(`$ immutag ${args.join(' ')}\n`);
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['dist/cli.js', ...args], (err, stdout, stderr) => {
      process.stdout.write(stderr + stdout);
      resolve(err ? Number(err.code ?? 2) : 0);
    });
    child.stdin?.end();
  });
}

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
say('Starting a throwaway registry (docker-registry on 127.0.0.1) and building two images with umoci');
const reg = await startRegistry();
const v1 = await buildImage({ files: { '/etc/motd': 'release 1.0\n' } });
const v2 = await buildImage({ files: { '/etc/motd': 'release 1.0, rebuilt with a change\n' } });
try {
  const repo = `${reg.host}/demo/app`;
  const digest = await pushImage(reg, v1.ociRef, 'demo/app:1.0');
  say(`skopeo pushed ${repo}:1.0 -> ${digest}`);

  say('The gate on the existing tag 1.0 (immutable): refused, naming the digest it points at');
  const refused = await immutag(['check', `${repo}:1.0`, '--insecure-registry', reg.host]);
  process.stdout.write(`exit code ${refused} (1 = violation)\n`);

  say('The gate on a new tag 1.1, and on latest, declared mutable: accepted');
  const accepted = await immutag(['check', `${repo}:1.1`, `${repo}:latest`, '--mutable-tags', 'latest', '--insecure-registry', reg.host]);
  process.stdout.write(`exit code ${accepted} (0 = pass)\n`);

  say('A rebuilt image pushed by immutag to 1.0 is refused before any byte is uploaded');
  const moved = await immutag(['push', '--image', v2.layout, `${repo}:1.0`, '--insecure-registry', reg.host, '--scan', 'none']);
  process.stdout.write(`exit code ${moved} (1 = violation)\n`);

  say('immutag pushes it as 1.1: verified, scanned, blobs, manifest, tag written last and re-read');
  // Scanned offline against the real OSV records in the test fixtures: no network needed.
  const pushed = await immutag(['push', '--image', v2.layout, `${repo}:1.1`, '--insecure-registry', reg.host, '--vuln-db', 'test/fixtures/osv/records', '--json']);
  process.stdout.write(`exit code ${pushed} (0 = pass)\n`);

  say('The same job again: the tag already names this digest, nothing is uploaded, it passes');
  const again = await immutag(['push', '--image', v2.layout, `${repo}:1.1`, '--insecure-registry', reg.host, '--vuln-db', 'test/fixtures/osv/records', '--json']);
  process.stdout.write(`exit code ${again} (0 = pass)\n`);
  const ok = refused === 1 && accepted === 0 && moved === 1 && pushed === 0 && again === 0;
  say(ok ? 'demo finished: every step answered as expected' : 'demo finished with an unexpected answer (see above)');
  process.exitCode = ok ? 0 : 1;
} finally {
  await reg.stop();
  await removeLayout(v1);
  await removeLayout(v2);
}
