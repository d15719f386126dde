// Real jars from Debian's Java packages (libcommons-lang3-java, libslf4j-java,
// libjackson2-*-java), the truth being their own pom.properties read with `unzip`,
// and archives built from them the way real applications ship them:
//  - a Spring Boot style fat jar: BOOT-INF/lib/*.jar stored uncompressed (`zip -0`),
//    as Spring Boot requires, plus the application's own pom.properties;
//  - a war whose WEB-INF/lib jars are deflated and written to a pipe, so every entry's
//    sizes come after its data (data descriptors, as Java's ZipOutputStream writes);
//  - an ear holding the war (archives three deep).
import { copyFileSync, existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { run } from './exec.ts';

export const DEBIAN_JARS = [
  'commons-lang3.jar', 'slf4j-api.jar', 'slf4j-simple.jar', 'jul-to-slf4j.jar', 'jcl-over-slf4j.jar', 'log4j-over-slf4j.jar',
  'jackson-databind.jar', 'jackson-core.jar', 'jackson-annotations.jar',
].map((name) => realpathSync(`/usr/share/java/${name}`));

/** The application's own coordinates in the fat jar. */
export const APP_POM = 'groupId=com.example.immutag\nartifactId=demo-app\nversion=0.0.1-SNAPSHOT\n';

export interface JavaFixtures {
  dir: string;
  fatJar: string;
  war: string;
  ear: string;
  /** A jar with only a MANIFEST.MF (commons-lang3's, real) and a versioned file name. */
  manifestOnly: string;
}

/** `group:artifact` → version for every pom.properties in the jar, read by `unzip`. */
export async function pomTruth(jar: string): Promise<Map<string, string>> {
  const { stdout: list } = await run('unzip', ['-Z1', jar]);
  const truth = new Map<string, string>();
  for (const entry of list.split('\n').filter((e) => /^META-INF\/maven\/.+\/pom\.properties$/.test(e))) {
    const { stdout } = await run('unzip', ['-p', jar, entry]);
    const get = (key: string): string => new RegExp(`^${key}\\s*[=:]\\s*(.*)$`, 'm').exec(stdout)?.[1]?.trim() ?? '';
    truth.set(`${get('groupId')}:${get('artifactId')}`, get('version'));
  }
  return truth;
}

export async function buildJavaFixtures(): Promise<JavaFixtures> {
  const dir = join(tmpdir(), `immutag-java-fixture-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const fixtures = { dir, fatJar: join(dir, 'demo-app.jar'), war: join(dir, 'shop.war'), ear: join(dir, 'suite.ear'), manifestOnly: join(dir, 'out', 'commons-lang3-3.12.0.jar') };
  const boot = join(dir, 'boot');
  mkdirSync(join(boot, 'BOOT-INF/lib'), { recursive: true });
  mkdirSync(join(boot, 'BOOT-INF/classes/com/example'), { recursive: true });
  mkdirSync(join(boot, 'META-INF/maven/com.example.immutag/demo-app'), { recursive: true });
  for (const jar of DEBIAN_JARS) copyFileSync(jar, join(boot, 'BOOT-INF/lib', basename(jar)));
  writeFileSync(join(boot, 'BOOT-INF/classes/com/example/App.class'), Buffer.alloc(512, 0xca));
  writeFileSync(join(boot, 'META-INF/maven/com.example.immutag/demo-app/pom.properties'), APP_POM);
  writeFileSync(join(boot, 'META-INF/MANIFEST.MF'), 'Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\n\n');
  await run('zip', ['-q', '-0', '-r', fixtures.fatJar, 'META-INF', 'BOOT-INF'], { cwd: boot });

  const web = join(dir, 'web');
  mkdirSync(join(web, 'WEB-INF/lib'), { recursive: true });
  for (const jar of DEBIAN_JARS.filter((j) => /jackson|slf4j-api/.test(j))) copyFileSync(jar, join(web, 'WEB-INF/lib', basename(jar)));
  writeFileSync(join(web, 'WEB-INF/web.xml'), '<web-app/>\n');
  await run('sh', ['-c', `zip -q -r - WEB-INF | cat > ${fixtures.war}`], { cwd: web });
  await run('sh', ['-c', `zip -q -j - ${fixtures.war} ${DEBIAN_JARS[0]} | cat > ${fixtures.ear}`]);

  const manifest = join(dir, 'manifest');
  mkdirSync(join(manifest, 'META-INF'), { recursive: true });
  const { stdout } = await run('unzip', ['-p', DEBIAN_JARS[0]!, 'META-INF/MANIFEST.MF']);
  writeFileSync(join(manifest, 'META-INF/MANIFEST.MF'), stdout);
  mkdirSync(join(dir, 'out'));
  await run('zip', ['-q', '-r', fixtures.manifestOnly, 'META-INF'], { cwd: manifest });
  if (!existsSync(fixtures.ear)) throw new Error('java fixtures were not built');
  return fixtures;
}

/**
 * A jar at `out` as a Gradle or bnd build writes one: its MANIFEST.MF (lines joined with
 * CRLF, written first as `jar` does), a class, and `members` (path → text); staged in `work`.
 */
export async function manifestJar(out: string, work: string, manifest: string[], members: Record<string, string> = {}): Promise<void> {
  const src = `${work}/${basename(out)}.d`;
  await mkdir(`${src}/pkg`, { recursive: true });
  await mkdir(`${src}/META-INF`, { recursive: true });
  await writeFile(`${src}/META-INF/MANIFEST.MF`, `${manifest.join('\r\n')}\r\n\r\n`);
  await writeFile(`${src}/pkg/A.class`, Buffer.alloc(256, 0xca));
  for (const [name, text] of Object.entries(members)) {
    await mkdir(dirname(`${src}/${name}`), { recursive: true });
    await writeFile(`${src}/${name}`, text);
  }
  await mkdir(dirname(out), { recursive: true });
  await run('zip', ['-q', out, 'META-INF/MANIFEST.MF'], { cwd: src });
  await run('zip', ['-q', '-r', out, '.', '-x', 'META-INF/MANIFEST.MF'], { cwd: src });
}

/** manifestJar's bytes, built in `dir` as `file`: for a test that lays jars into an image. */
export async function manifestJarBytes(dir: string, file: string, manifest: string[], members: Record<string, string> = {}): Promise<Buffer> {
  await manifestJar(`${dir}/${file}`, dir, manifest, members);
  return readFile(`${dir}/${file}`);
}
