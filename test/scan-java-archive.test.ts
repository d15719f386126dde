// Java archives against the truth of Debian's real jars (their pom.properties, read
// with `unzip`), in the nestings real applications ship (test/support/java-fixture.ts).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inventoryImage, NO_OS_NOTE } from '../src/scan/inventory.ts';
import { javaArchiveAnalyzer, JavaArchiveReader } from '../src/scan/inventory/java-archive.ts';
import type { Package } from '../src/scan/model.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { buildJavaFixtures, DEBIAN_JARS, type JavaFixtures, pomTruth } from './support/java-fixture.ts';
import { buildZip } from './support/zip-writer.ts';
import { run } from './support/exec.ts';
import { InventoryImage } from './support/inventory-image.ts';

const RECORDS = fileURLToPath(new URL('./fixtures/osv/records/', import.meta.url));

let fixtures: JavaFixtures;
const truthOf = new Map<string, Map<string, string>>();

before(async () => {
  fixtures = await buildJavaFixtures();
  for (const jar of DEBIAN_JARS) truthOf.set(jar, await pomTruth(jar));
});
after(() => rmSync(fixtures.dir, { recursive: true, force: true }));

function union(...maps: Array<Map<string, string>>): Map<string, string> {
  return new Map(maps.flatMap((m) => [...m]));
}

function compare(packages: Array<Pick<Package, 'name' | 'version'>>, truth: Map<string, string>) {
  const got = new Map(packages.map((p) => [p.name, p.version]));
  return {
    missing: [...truth.keys()].filter((k) => !got.has(k)),
    extra: [...got.keys()].filter((k) => !truth.has(k)),
    wrong: [...truth].filter(([k, v]) => got.has(k) && got.get(k) !== v).map(([k]) => k),
  };
}

const NONE = { missing: [], extra: [], wrong: [] };

describe('Java archives against their pom.properties', () => {
  it('every Debian jar, read from an image layer as it streams past', async () => {
    const image = new InventoryImage();
    const layer = await image.layer(DEBIAN_JARS.map((jar, i) => ({ name: `usr/share/java/${i}-${jar.split('/').pop()}`, content: readFileSync(jar) })));
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(notes, [NO_OS_NOTE]);
    let total = 0;
    DEBIAN_JARS.forEach((jar, i) => {
      const found = packages.filter((p) => p.path === `/usr/share/java/${i}-${jar.split('/').pop()}`);
      const truth = truthOf.get(jar)!;
      total += truth.size;
      assert.deepEqual(compare(found, truth), NONE, jar);
    });
    assert.equal(packages.length, total);
    assert.ok(total >= DEBIAN_JARS.length);
    for (const pkg of packages) {
      assert.equal(pkg.ecosystem, 'Maven');
      assert.equal(pkg.layer, layer.digest);
      const [group, artifact] = pkg.name.split(':');
      assert.equal(pkg.purl, `pkg:maven/${group}/${artifact}@${pkg.version}`);
    }
  });

  it('a Spring Boot fat jar (stored BOOT-INF/lib), a war (data descriptors) inside an ear', async () => {
    const all = union(...truthOf.values());
    const cases: Array<[string, Map<string, string>]> = [
      [fixtures.fatJar, union(all, new Map([['com.example.immutag:demo-app', '0.0.1-SNAPSHOT']]))],
      [fixtures.war, union(...DEBIAN_JARS.filter((j) => /jackson|slf4j-api/.test(j)).map((j) => truthOf.get(j)!))],
      [fixtures.ear, union(...DEBIAN_JARS.filter((j) => /jackson|slf4j-api|commons-lang3/.test(j)).map((j) => truthOf.get(j)!))],
    ];
    for (const [archive, truth] of cases) {
      const bytes = readFileSync(archive);
      for (const chunk of [bytes.length, 65536, 1000]) {
        const reader = new JavaArchiveReader(archive, 0);
        for (let at = 0; at < bytes.length; at += chunk) if (!reader.write(bytes.subarray(at, at + chunk))) break;
        reader.end();
        const { packages, notes } = reader.result();
        assert.deepEqual(notes, [], archive);
        assert.deepEqual(compare(packages, truth), NONE, `${archive} in chunks of ${chunk}`);
      }
    }
  });

  it('stops at the central directory: the bytes after the last entry are never needed', () => {
    const bytes = readFileSync(fixtures.war);
    const reader = new JavaArchiveReader('/shop.war', 0);
    let fed = 0;
    for (let at = 0; at < bytes.length; at += 512) {
      fed += 512;
      if (!reader.write(bytes.subarray(at, at + 512))) break;
    }
    assert.ok(fed < bytes.length);
  });

  it('archives nested deeper than the limit are noted, not read', () => {
    const { packages, notes } = javaArchiveAnalyzer.parse('srv/suite.ear', readFileSync(fixtures.ear));
    assert.ok(packages.length > 0);
    assert.deepEqual(notes, []);
    // Read the ear as if it were itself nested twice: its war's jars are then too deep.
    const deep = new JavaArchiveReader('/deep.ear', 2);
    deep.write(readFileSync(fixtures.ear));
    deep.end();
    assert.match(deep.result().notes.join('\n'), /shop\.war is nested more than 2 deep; not read/);
  });

  it('no pom.properties: MANIFEST.MF and the file name, with a note that it is less certain', () => {
    const { packages, notes } = javaArchiveAnalyzer.parse('opt/lib/commons-lang3-3.12.0.jar', readFileSync(fixtures.manifestOnly));
    assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`), ['org.apache.commons:commons-lang3@3.12.0']);
    assert.match(notes[0] ?? '', /no pom\.properties; identified as org\.apache\.commons:commons-lang3 3\.12\.0 from MANIFEST\.MF and the file name, which is less certain/);
  });

  it('a truncated archive and an entry over its cap are notes, not failures', async () => {
    const war = readFileSync(fixtures.war);
    const cut = javaArchiveAnalyzer.parse('srv/shop.war', war.subarray(0, Math.floor(war.length / 2)));
    assert.match(cut.notes.join('\n'), /\/srv\/shop\.war: the archive ends inside "WEB-INF\/lib\//);
    // A MANIFEST.MF of 2 MiB, deflated to a few KiB: inflating it stops at the 1 MiB cap.
    const dir = join(fixtures.dir, 'big-manifest');
    mkdirSync(join(dir, 'META-INF'), { recursive: true });
    writeFileSync(join(dir, 'META-INF/MANIFEST.MF'), `Manifest-Version: 1.0\nX-Padding: ${'a'.repeat(2 * 1024 * 1024)}\n`);
    await run('zip', ['-q', '-r', join(dir, 'big.jar'), 'META-INF'], { cwd: dir });
    const big = javaArchiveAnalyzer.parse('big.jar', readFileSync(join(dir, 'big.jar')));
    assert.deepEqual(big.packages, []);
    assert.match(big.notes[0] ?? '', /"META-INF\/MANIFEST\.MF" could not be read \(.*(exceed|larger|buffer).*\)/i);
  });

  it('a "fully executable" Spring Boot jar (a launch script before the zip) is read as the jar it is', () => {
    const script = Buffer.from(`#!/bin/bash\n# Spring Boot launch script\n${'# '.repeat(4000)}\nexec java -jar "$0" "$@"\nexit 0\n`);
    const bytes = Buffer.concat([script, readFileSync(fixtures.fatJar)]);
    const truth = union(union(...truthOf.values()), new Map([['com.example.immutag:demo-app', '0.0.1-SNAPSHOT']]));
    for (const chunk of [bytes.length, 65536, 1000, 3]) {
      const reader = new JavaArchiveReader('app/app.jar', 0);
      for (let at = 0; at < bytes.length; at += chunk) if (!reader.write(bytes.subarray(at, at + chunk))) break;
      reader.end();
      const { packages, notes } = reader.result();
      assert.deepEqual(notes, [], `chunks of ${chunk}`);
      assert.deepEqual(compare(packages, truth), NONE, `chunks of ${chunk}`);
    }
  });

  it('Spring jars (built by Gradle: no pom.properties, no vendor id) are named by their artifact\'s known group, so Spring4Shell-class advisories match', () => {
    const manifest = (title: string, version: string) =>
      `Manifest-Version: 1.0\r\nImplementation-Title: ${title}\r\nAutomatic-Module-Name: ${title.replace(/-/g, '.')}\r\nImplementation-Version: ${version}\r\nCreated-By: 1.8.0_282\r\n\r\n`;
    const jar = (title: string, version: string) => buildZip([{ name: 'META-INF/MANIFEST.MF', data: manifest(title, version) }]);
    const boot = buildZip([
      { name: 'BOOT-INF/lib/spring-beans-5.3.17.jar', data: jar('spring-beans', '5.3.17'), stored: true },
      { name: 'BOOT-INF/lib/spring-webmvc-5.3.17.jar', data: jar('spring-webmvc', '5.3.17'), stored: true },
      { name: 'BOOT-INF/lib/spring-boot-2.6.5.jar', data: jar('Spring Boot', '2.6.5'), stored: true },
      { name: 'BOOT-INF/lib/spring-security-web-5.6.2.jar', data: jar('spring-security-web', '5.6.2'), stored: true },
      { name: 'BOOT-INF/lib/acme-tool-1.0.jar', data: jar('acme-tool', '1.0'), stored: true },
    ]);
    const { packages, notes } = javaArchiveAnalyzer.parse('app/app.jar', boot);
    assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`).sort(), [
      'org.springframework.boot:spring-boot@2.6.5', 'org.springframework.security:spring-security-web@5.6.2',
      'org.springframework:spring-beans@5.3.17', 'org.springframework:spring-webmvc@5.3.17',
    ]);
    assert.equal(notes.filter((n) => /acme-tool-1\.0\.jar: .*not matched/.test(n)).length, 1, 'the unknown jar is still a note');
    assert.equal(notes.filter((n) => /less certain/.test(n)).length, 4, 'each Spring jar says how it was named');
  });

  it('Tomcat (its Ant build: no pom.properties, bnd names org.apache.tomcat-*) is named as Maven and OSV name it, embedded in a Spring Boot jar and in /usr/local/tomcat', async () => {
    // The main section of Tomcat 10.1.60's manifests (Debian's libtomcat10-java, the same build.xml and bnd files as Apache's), Export-Package cut short.
    const bnd = (name: string) => ['Manifest-Version: 1.0', 'Bundle-License: https://www.apache.org/licenses/LICENSE-2.0.txt', 'Bundle-ManifestVersion: 2',
      `Bundle-Name: ${name}`, `Bundle-SymbolicName: org.apache.${name}`, 'Bundle-Version: 10.1.60',
      'Export-Package: org.apache.catalina;uses:="jakarta.servlet,jakarta.ser', ' vlet.descriptor";version="10.1.60"',
      'Implementation-Title: Apache Tomcat', 'Implementation-Vendor: Apache Software Foundation', 'Implementation-Version: 10.1.60',
      'Specification-Title: Apache Tomcat', 'Specification-Vendor: Apache Software Foundation', 'Specification-Version: 10.1', 'X-Compile-Source-JDK: 11', '', ''].join('\r\n');
    // Tomcat 8.5's, from before bnd: no Bundle-* headers at all.
    const plain = 'Manifest-Version: 1.0\r\nImplementation-Title: Apache Tomcat\r\nImplementation-Vendor: Apache Software Foundation\r\nImplementation-Version: 8.5.23\r\n\r\n';
    const jar = (manifest: string) => buildZip([{ name: 'META-INF/MANIFEST.MF', data: manifest }]);
    const boot = buildZip([
      { name: 'BOOT-INF/lib/tomcat-embed-core-10.1.60.jar', data: jar(bnd('tomcat-embed-core')), stored: true },
      { name: 'BOOT-INF/lib/tomcat-embed-websocket-10.1.60.jar', data: jar(bnd('tomcat-embed-websocket')), stored: true },
    ]);
    const image = new InventoryImage();
    await image.layer([
      { name: 'app/app.jar', content: boot },
      { name: 'usr/local/tomcat/lib/catalina.jar', content: jar(bnd('tomcat-catalina')) },
      { name: 'usr/local/tomcat/lib/tomcat-coyote.jar', content: jar(bnd('tomcat-coyote')) },
      { name: 'opt/tomcat8/lib/catalina.jar', content: jar(plain) },
      { name: 'opt/tomcat8/lib/tomcat-util.jar', content: jar(plain) },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => `${p.path} ${p.name}@${p.version}`).sort(), [
      '/app/app.jar org.apache.tomcat.embed:tomcat-embed-core@10.1.60',
      '/app/app.jar org.apache.tomcat.embed:tomcat-embed-websocket@10.1.60',
      '/opt/tomcat8/lib/catalina.jar org.apache.tomcat:tomcat-catalina@8.5.23',
      '/opt/tomcat8/lib/catalina.jar org.apache.tomcat:tomcat@8.5.23',
      '/opt/tomcat8/lib/tomcat-util.jar org.apache.tomcat:tomcat-util@8.5.23',
      '/usr/local/tomcat/lib/catalina.jar org.apache.tomcat:tomcat-catalina@10.1.60',
      '/usr/local/tomcat/lib/catalina.jar org.apache.tomcat:tomcat@10.1.60',
      '/usr/local/tomcat/lib/tomcat-coyote.jar org.apache.tomcat:tomcat-coyote@10.1.60',
    ]);
  });

  it('Tomcat\'s advisories that name the distribution (org.apache.tomcat:tomcat) reach /usr/local/tomcat through catalina.jar: GHSA-r84p-88g2-2vx2 on 9.0.62', async () => {
    const bnd = (name: string) => ['Manifest-Version: 1.0', 'Bundle-ManifestVersion: 2', `Bundle-Name: ${name}`, `Bundle-SymbolicName: org.apache.${name}`,
      'Bundle-Version: 9.0.62', 'Implementation-Title: Apache Tomcat', 'Implementation-Vendor: Apache Software Foundation', 'Implementation-Version: 9.0.62', '', ''].join('\r\n');
    const jar = (name: string) => buildZip([{ name: 'META-INF/MANIFEST.MF', data: bnd(name) }]);
    const image = new InventoryImage();
    await image.layer([
      { name: 'usr/local/tomcat/lib/catalina.jar', content: jar('tomcat-catalina') },
      { name: 'usr/local/tomcat/lib/catalina-tribes.jar', content: jar('tomcat-tribes') },
      { name: 'usr/local/tomcat/lib/tomcat-coyote.jar', content: jar('tomcat-coyote') },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const { matches } = await matchPackages(packages, { vulnDb: fileURLToPath(new URL('./fixtures/osv/tomcat/', import.meta.url)) });
    assert.deepEqual(matches.map((m) => `${m.package.path} ${m.package.name} ${m.record.id} fixed=${m.fixed}`), [
      '/usr/local/tomcat/lib/catalina.jar org.apache.tomcat:tomcat GHSA-r84p-88g2-2vx2 fixed=9.0.63',
    ]);
  });

  it('a file named .jar that is not a zip says so', () => {
    const { packages, notes } = javaArchiveAnalyzer.parse('app.jar', Buffer.from('#!/bin/sh\nexec java -jar x\n'));
    assert.deepEqual(packages, []);
    assert.match(notes[0] ?? '', /\/app\.jar: not a zip archive/);
  });

  it('matches the real advisory GHSA-j288-q9x7-2f5v (commons-lang3 3.0 to before 3.18.0) in the fat jar', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'app/demo-app.jar', content: readFileSync(fixtures.fatJar) }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const { matches } = await matchPackages(packages, { vulnDb: RECORDS });
    const found = matches.filter((m) => m.record.id === 'GHSA-j288-q9x7-2f5v');
    assert.deepEqual(found.map((m) => [m.package.name, m.package.version, m.fixed]), [['org.apache.commons:commons-lang3', '3.12.0', '3.18.0']]);
  });
});
