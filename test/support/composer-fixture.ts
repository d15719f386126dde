// A real Composer 2 vendor tree, written offline by Debian's `composer` from PHP
// libraries Debian ships (php-symfony-process, php-symfony-console, php-psr-log …) served
// as path repositories; `composer show --format=json` is the truth.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './exec.ts';

/** Debian source directory → Packagist name and the PSR-4 prefix it autoloads. */
const LIBRARIES: Array<{ dir: string; name: string; prefix: string; deb: string }> = [
  { dir: '/usr/share/php/Symfony/Component/Process', name: 'symfony/process', prefix: 'Symfony\\Component\\Process\\', deb: 'php-symfony-process' },
  { dir: '/usr/share/php/Symfony/Component/Console', name: 'symfony/console', prefix: 'Symfony\\Component\\Console\\', deb: 'php-symfony-console' },
  { dir: '/usr/share/php/Symfony/Component/Finder', name: 'symfony/finder', prefix: 'Symfony\\Component\\Finder\\', deb: 'php-symfony-finder' },
  { dir: '/usr/share/php/Psr/Log', name: 'psr/log', prefix: 'Psr\\Log\\', deb: 'php-psr-log' },
  { dir: '/usr/share/php/Psr/Container', name: 'psr/container', prefix: 'Psr\\Container\\', deb: 'php-psr-container' },
];

export interface ComposerTree {
  dir: string;
  installedJson: Buffer;
  truth: Map<string, string>;
}

/** The upstream version of a Debian package (`5.4.53+dfsg-0+deb12u1` → `5.4.53`). */
async function upstreamVersion(deb: string): Promise<string> {
  const { stdout } = await run('dpkg-query', ['-W', '-f=${Version}', deb]);
  return stdout.replace(/^\d+:/, '').replace(/[+~-].*$/, '');
}

export async function buildComposerTree(): Promise<ComposerTree> {
  const dir = join(tmpdir(), `immutag-composer-fixture-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const require: Record<string, string> = {};
  for (const lib of LIBRARIES) {
    const version = await upstreamVersion(lib.deb);
    const src = join(dir, 'src', lib.name.replace('/', '-'));
    mkdirSync(src, { recursive: true });
    cpSync(lib.dir, src, { recursive: true });
    // Symfony components are tagged with a `v` on Packagist; psr packages are not.
    const tagged = lib.name.startsWith('symfony/') ? `v${version}` : version;
    writeFileSync(join(src, 'composer.json'), JSON.stringify({ name: lib.name, version: tagged, type: 'library', license: ['MIT'], autoload: { 'psr-4': { [lib.prefix]: '' } } }));
    require[lib.name] = version;
  }
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'composer.json'), JSON.stringify({
    name: 'acme/app',
    repositories: [{ type: 'path', url: '../src/*', options: { symlink: false } }, { 'packagist.org': false }],
    require,
  }));
  const env = { ...process.env, COMPOSER_HOME: join(dir, 'home'), COMPOSER_DISABLE_NETWORK: '1', COMPOSER_ALLOW_SUPERUSER: '1' };
  await run('composer', ['install', '--no-interaction', '--no-progress', '--quiet'], { cwd: app, env });
  const { stdout } = await run('composer', ['show', '--format=json'], { cwd: app, env });
  const shown = JSON.parse(stdout) as { installed: Array<{ name: string; version: string }> };
  const truth = new Map(shown.installed.map((p) => [p.name, p.version]));
  return { dir, installedJson: readFileSync(join(app, 'vendor/composer/installed.json')), truth };
}
