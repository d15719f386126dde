// Jars published without pom.properties whose MANIFEST.MF names them in shapes the
// manifest rules miss. Manifests are those of the real jars on Maven Central (read from
// ~/.m2 with `unzip -p … META-INF/MANIFEST.MF`), only the versions changed where said:
//  - okhttp-4.12.0.jar (Gradle, 4.x): `Manifest-Version` and `Automatic-Module-Name: okhttp3`
//    and nothing else; okhttp/build.gradle in square/okhttp 4.x writes only that attribute.
//  - h2-2.3.232.jar (H2's own build; h2/src/main/META-INF/MANIFEST.MF, the same headers
//    since 1.4.198): `Bundle-SymbolicName: com.h2database`, the group alone.
//  - kotlin-stdlib-1.8.21.jar (Kotlin's Gradle build, manifestAttributes()): Implementation-
//    Version is the build number, `1.8.21-release-380(1.8.21)`; no vendor id, no symbolic name.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import type { Package } from '../src/scan/model.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { manifestJarBytes } from './support/java-fixture.ts';

const dir = join(tmpdir(), `immutag-java-gradle-manifests-${process.pid}`);

const jar = (file: string, manifest: string[], members: Record<string, string> = {}) => manifestJarBytes(dir, file, manifest, members);

let packages: Package[];
let notes: string[];

before(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // okhttp-4.12.0.jar's manifest, whole, at 4.9.1: CVE-2021-0341 (com.squareup.okhttp3:okhttp < 4.9.2).
  const okhttp = await jar('okhttp-4.9.1.jar', ['Manifest-Version: 1.0', 'Automatic-Module-Name: okhttp3'],
    { 'META-INF/okhttp.kotlin_module': '\0' });
  // h2-2.3.232.jar's manifest (main section, package lists left out) at 2.0.204:
  // GHSA-h376-j262-vhq6 / CVE-2021-42392 (com.h2database:h2 >= 1.1.100, < 2.0.206).
  const h2 = await jar('h2-2.0.204.jar', [
    'Manifest-Version: 1.0', 'Implementation-Title: H2 Database Engine', 'Implementation-URL: https://h2database.com',
    'Implementation-Version: 2.0.204', 'Build-Jdk: 11', 'Created-By: 11.0.3+12-LTS (Oracle Corporation)',
    'Main-Class: org.h2.tools.Console', 'Automatic-Module-Name: com.h2database', 'Bundle-Activator: org.h2.util.DbDriverActivator',
    'Bundle-ManifestVersion: 2', 'Bundle-Name: H2 Database Engine', 'Bundle-SymbolicName: com.h2database', 'Bundle-Vendor: H2 Group',
    'Bundle-Version: 2.0.204', 'Bundle-License: https://h2database.com/html/license.html', 'Bundle-Category: jdbc',
    'Multi-Release: true', 'Premain-Class: org.h2.util.Profiler',
  ]);
  // kotlin-stdlib-1.8.21.jar's manifest, whole, at 1.5.31 (the build number 548 made up):
  // CVE-2022-24329 (org.jetbrains.kotlin:kotlin-stdlib < 1.6.0).
  const kotlin = await jar('kotlin-stdlib-1.5.31.jar', [
    'Manifest-Version: 1.0', 'Implementation-Title: kotlin-stdlib', 'Kotlin-Runtime-Component: Main', 'Kotlin-Version: 1.5',
    'Implementation-Version: 1.5.31-release-548(1.5.31)', 'Multi-Release: true', 'Implementation-Vendor: JetBrains',
  ]);
  const image = new InventoryImage();
  await image.layer([
    { name: 'app/lib/okhttp-4.9.1.jar', content: okhttp },
    { name: 'app/lib/h2-2.0.204.jar', content: h2 },
    { name: 'app/lib/kotlin-stdlib-1.5.31.jar', content: kotlin },
  ]);
  ({ packages, notes } = await inventoryImage(image.source, image.manifest));
});

after(() => rmSync(dir, { recursive: true, force: true }));

const found = (): string[] => packages.filter((p) => p.type === 'maven').map((p) => `${p.name}@${p.version}`).sort();
const said = (): string => `found: ${found().join(', ')}; notes: ${notes.join(' | ')}`;

describe('Gradle- and tool-built jars named by their manifest and file name', () => {
  it('okhttp 4.x (only Automatic-Module-Name: okhttp3) is com.squareup.okhttp3:okhttp', () => {
    assert.ok(found().includes('com.squareup.okhttp3:okhttp@4.9.1'), said());
  });

  it('h2 (Bundle-SymbolicName: com.h2database, the group) is com.h2database:h2, not com:h2', () => {
    assert.ok(found().includes('com.h2database:h2@2.0.204'), said());
    assert.ok(!found().includes('com:h2@2.0.204'), said());
  });

  it('kotlin-stdlib (vendor JetBrains, build-number version) is org.jetbrains.kotlin:kotlin-stdlib@1.5.31', () => {
    assert.ok(found().includes('org.jetbrains.kotlin:kotlin-stdlib@1.5.31'), said());
  });
});
