// Java archives whose own identity is only in MANIFEST.MF (Gradle, sbt and bnd builds
// publish no pom.properties), zipped here as a jar is (META-INF/MANIFEST.MF first) and
// shipped the way Spring Boot ships them (BOOT-INF/lib, stored, `zip -0`). The manifests
// are those of real artifacts on Maven Central (okio-jvm 3.x, zstd-jni 1.5.x,
// opentelemetry-sdk-trace, Spring Framework release candidates), only the versions
// changed where said. Found by a review helper comparing 1,019 real jars' names.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import type { Package } from '../src/scan/model.ts';
import { run } from './support/exec.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { manifestJar } from './support/java-fixture.ts';

const dir = join(tmpdir(), `immutag-java-manifest-identity-${process.pid}`);

/** A jar in the fat jar's BOOT-INF/lib. */
async function jar(file: string, manifest: string[], members: Record<string, string> = {}): Promise<void> {
  await manifestJar(join(dir, 'boot/BOOT-INF/lib', file), dir, manifest, members);
}

let packages: Package[];
let notes: string[];

before(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // okio-jvm 3.6.0's own manifest (bnd: the symbolic name is the group), at 3.3.0,
  // which GHSA-w33c-445m-f8w7 (CVE-2023-3635, com.squareup.okio:okio-jvm < 3.4.0) names.
  await jar('okio-jvm-3.3.0.jar', [
    'Manifest-Version: 1.0', 'Automatic-Module-Name: okio', 'Bundle-ManifestVersion: 2', 'Bundle-Name: com.squareup.okio',
    'Bundle-SymbolicName: com.squareup.okio', 'Bundle-Version: 3.3.0', 'Created-By: 19.0.2 (Azul Systems, Inc.)',
  ]);
  // zstd-jni's own manifest (1.5.7-4 on Maven Central): a Maven-style version with a hyphen.
  await jar('zstd-jni-1.5.7-4.jar', [
    'Manifest-Version: 1.0', 'Specification-Title: zstd-jni', 'Specification-Version: 1.5.7-4', 'Specification-Vendor: com.github.luben',
    'Implementation-Title: zstd-jni', 'Implementation-Version: 1.5.7-4', 'Implementation-Vendor: com.github.luben',
    'Implementation-Vendor-Id: com.github.luben', 'Bundle-SymbolicName: com.github.luben.zstd-jni', 'Bundle-Version: 1.5.7.4',
  ]);
  // A Spring Framework release candidate, named as the Spring jars are (Gradle: no pom.properties, no vendor id).
  await jar('spring-web-6.1.0-RC1.jar', [
    'Manifest-Version: 1.0', 'Implementation-Title: spring-web', 'Automatic-Module-Name: spring.web', 'Implementation-Version: 6.1.0-RC1',
  ]);
  // A Gradle-built library whose shadow plugin copied a shaded dependency's pom.properties
  // (opentelemetry-sdk-trace 1.55.0 on Maven Central carries org.jctools/jctools-core's so);
  // its own identity is in its manifest, as in the jars above.
  await jar('kafka-streams-addon-2.4.0.jar', [
    'Manifest-Version: 1.0', 'Implementation-Title: kafka-streams-addon', 'Implementation-Version: 2.4.0',
    'Implementation-Vendor-Id: com.example.streams',
  ], { 'META-INF/maven/org.jctools/jctools-core/pom.properties': 'artifactId=jctools-core\ngroupId=org.jctools\nversion=4.0.5\n' });
  // Without the shaded pom.properties, the same jar is identified from its manifest.
  await jar('kafka-streams-plain-2.4.0.jar', [
    'Manifest-Version: 1.0', 'Implementation-Title: kafka-streams-plain', 'Implementation-Version: 2.4.0',
    'Implementation-Vendor-Id: com.example.streams',
  ]);
  await run('zip', ['-q', '-0', '-r', join(dir, 'app.jar'), 'BOOT-INF'], { cwd: join(dir, 'boot') });
  const image = new InventoryImage();
  await image.layer([{ name: 'app/app.jar', content: readFileSync(join(dir, 'app.jar')) }]);
  ({ packages, notes } = await inventoryImage(image.source, image.manifest));
});

after(() => rmSync(dir, { recursive: true, force: true }));

const found = (): string[] => packages.map((p) => `${p.name}@${p.version}`).sort();

describe('Java archives identified by their manifest', () => {
  it('control: a Gradle jar with a vendor id and a plain version is named', () => {
    assert.ok(found().includes('com.example.streams:kafka-streams-plain@2.4.0'), found().join(', '));
  });

  it('okio-jvm (bnd symbolic name = the group) is com.squareup.okio:okio-jvm, as its advisories name it', () => {
    assert.ok(found().includes('com.squareup.okio:okio-jvm@3.3.0'), found().join(', '));
  });

  it('a version with a hyphen is cut from the file name whole (zstd-jni-1.5.7-4.jar is zstd-jni)', () => {
    assert.ok(found().includes('com.github.luben:zstd-jni@1.5.7-4'), found().join(', '));
  });

  it('a Spring release candidate (spring-web-6.1.0-RC1.jar) is org.springframework:spring-web', () => {
    assert.ok(found().includes('org.springframework:spring-web@6.1.0-RC1'), found().join(', '));
  });

  it('a shaded dependency\'s pom.properties does not hide the jar\'s own identity', () => {
    assert.ok(found().includes('org.jctools:jctools-core@4.0.5'), found().join(', '));
    const own = found().includes('com.example.streams:kafka-streams-addon@2.4.0');
    const said = notes.some((n) => n.includes('kafka-streams-addon-2.4.0.jar'));
    assert.ok(own || said, `neither found nor noted; found: ${found().join(', ')}; notes: ${notes.join(' | ')}`);
  });
});
