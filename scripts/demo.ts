// npm run demo: immutag's main job end to end on this machine, with nothing but
// Debian's docker-registry, umoci and skopeo. It starts a throwaway registry, pushes a
// sample image with skopeo, then runs the immutag CLI as a user would: the gate, a
// scan that finds a real advisory in a real package (ansi-html 0.0.7, named by the
// OSV record GHSA-whgm-jr23-g3j9 in test/fixtures/osv/), and the fixed build pushed.
// The scan's pull-request comment and job summary are rendered to HTML to look at.
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startRegistry } from '../test/support/registry.ts';
import { buildImage, pushImage, removeLayout } from '../test/support/images.ts';
import { renderPage } from './preview-page.ts';

const OUT = resolve('tmp/demo');

function say(line: string): void {
  process.stdout.write(`\n\x1b[1m== ${line}\x1b[0m\n`);
}

function immutag(args: string[], options: { quietStdout?: boolean } = {}): Promise<{ code: number; stdout: string }> {
  process.stdout.write(`$ immutag ${args.join(' ')}\n`);
  return new Promise((done) => {
    const child = execFile(process.execPath, ['dist/cli.js', ...args], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      process.stdout.write(stderr + (options.quietStdout ? '' : stdout));
      done({ code: err ? Number(err.code ?? 2) : 0, stdout });
    });
    child.stdin?.end();
  });
}

/** The app's node_modules with the real package.json npm ships for that version of ansi-html. */
async function appLayer(version: string): Promise<Record<string, string>> {
  return {
    '/app/node_modules/ansi-html/package.json': await readFile(`test/fixtures/demo/ansi-html-${version}.package.json`, 'utf8'),
    '/app/server.js': `// demo app built with ansi-html ${version}\n`,
  };
}

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
await mkdir(OUT, { recursive: true });
say('Starting a throwaway registry (docker-registry on 127.0.0.1) and building three images with umoci');
const reg = await startRegistry();
const v1 = await buildImage({ files: { '/etc/motd': 'release 1.0\n' } });
const vulnerable = await buildImage({ files: await appLayer('0.0.7') });
const fixed = await buildImage({ files: await appLayer('0.0.8') });
try {
  const repo = `${reg.host}/demo/app`;
  const insecure = ['--insecure-registries', reg.host];
  const scan = ['--vuln-db', 'test/fixtures/osv/records'];
  const digest = await pushImage(reg, v1.ociRef, 'demo/app:1.0');
  say(`skopeo pushed ${repo}:1.0 -> ${digest}`);

  say('The gate on the existing tag 1.0 (immutable): refused, naming the digest it points at');
  const refused = await immutag(['check', `${repo}:1.0`, ...insecure]);
  process.stdout.write(`exit code ${refused.code} (1 = violation)\n`);

  say('The gate on a new tag 1.1, and on latest, declared mutable: accepted');
  const accepted = await immutag(['check', `${repo}:1.1`, `${repo}:latest`, '--mutable-tags', 'latest', ...insecure]);
  process.stdout.write(`exit code ${accepted.code} (0 = pass)\n`);

  say('A rebuild pushed by immutag to 1.0 is refused before any byte is uploaded');
  const moved = await immutag(['push', '--image', fixed.layout, `${repo}:1.0`, ...insecure, '--scan', 'none']);
  process.stdout.write(`exit code ${moved.code} (1 = violation)\n`);

  say('A build with ansi-html 0.0.7: the scan (offline, against the real OSV records in the fixtures) finds GHSA-whgm-jr23-g3j9, nothing is pushed');
  const comment = `${OUT}/comment.md`;
  const found = await immutag(['push', '--image', vulnerable.layout, `${repo}:1.1`, ...insecure, ...scan, '--summary', '--comment-file', comment], { quietStdout: true });
  process.stdout.write(`exit code ${found.code} (1 = violation)\n`);
  await writeFile(`${OUT}/summary.md`, found.stdout);
  await writeFile(`${OUT}/comment.html`, renderPage('immutag demo: the pull-request comment', await readFile(comment, 'utf8')));
  await writeFile(`${OUT}/summary.html`, renderPage('immutag demo: the job summary', found.stdout));
  process.stdout.write(`The report of that scan, as GitHub would show it:\n  comment: ${OUT}/comment.html (Markdown: ${comment})\n  summary: ${OUT}/summary.html (Markdown: ${OUT}/summary.md)\n`);

  say('The fixed build (ansi-html 0.0.8) as 1.1: verified, scanned, blobs, manifest, tag written last and re-read');
  const pushed = await immutag(['push', '--image', fixed.layout, `${repo}:1.1`, ...insecure, ...scan, '--json']);
  process.stdout.write(`exit code ${pushed.code} (0 = pass)\n`);

  say('The same job again: the tag already names this digest, nothing is uploaded, it passes');
  const again = await immutag(['push', '--image', fixed.layout, `${repo}:1.1`, ...insecure, ...scan, '--json']);
  process.stdout.write(`exit code ${again.code} (0 = pass)\n`);
  const ok = refused.code === 1 && accepted.code === 0 && moved.code === 1 && found.code === 1 &&
    found.stdout.includes('GHSA-whgm-jr23-g3j9') && pushed.code === 0 && again.code === 0;
  say(ok ? 'demo finished: every step answered as expected' : 'demo finished with an unexpected answer (see above)');
  process.stdout.write(`Rendered report of the scan that found something: ${OUT}/comment.html and ${OUT}/summary.html\n`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await reg.stop();
  for (const image of [v1, vulnerable, fixed]) await removeLayout(image);
}
