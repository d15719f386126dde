// A Maven-built OSGi bundle (maven-bundle-plugin) writes Bundle-Version in OSGi's form:
// snakeyaml 1.33's pom.properties say version=1.33, its manifest Bundle-Version: 1.33.0
// (and no Implementation-Version); guava 31.1-jre's say 31.1.0.jre. The jar's own
// pom.properties are at its own version, written another way: nothing is shaded into it.
// Manifests are the real ones' headers (snakeyaml 2.2 from ~/.m2, version changed to 1.33;
// guava 31.1-jre's), zipped as a jar is.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import type { Package } from '../src/scan/model.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { manifestJarBytes } from './support/java-fixture.ts';

const dir = join(tmpdir(), `immutag-java-osgi-version-${process.pid}`);

const jar = (file: string, manifest: string[], members: Record<string, string> = {}) => manifestJarBytes(dir, file, manifest, members);

let packages: Package[];
let notes: string[];

before(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const snakeyaml = await jar('snakeyaml-1.33.jar', [
    'Manifest-Version: 1.0', 'Bundle-ManifestVersion: 2', 'Bundle-Name: SnakeYAML', 'Bundle-SymbolicName: org.yaml.snakeyaml',
    'Bundle-Version: 1.33.0', 'Created-By: Apache Maven Bundle Plugin 5.1.8',
  ], { 'META-INF/maven/org.yaml/snakeyaml/pom.properties': 'groupId=org.yaml\nartifactId=snakeyaml\nversion=1.33\n' });
  const guava = await jar('guava-31.1-jre.jar', [
    'Manifest-Version: 1.0', 'Automatic-Module-Name: com.google.common', 'Bundle-ManifestVersion: 2', 'Bundle-Name: Guava: Google Core Libraries for Java',
    'Bundle-SymbolicName: com.google.guava', 'Bundle-Version: 31.1.0.jre', 'Created-By: Apache Maven Bundle Plugin',
  ], { 'META-INF/maven/com.google.guava/guava/pom.properties': 'groupId=com.google.guava\nartifactId=guava\nversion=31.1-jre\n' });
  const image = new InventoryImage();
  await image.layer([
    { name: 'app/lib/snakeyaml-1.33.jar', content: snakeyaml },
    { name: 'app/lib/guava-31.1-jre.jar', content: guava },
  ]);
  ({ packages, notes } = await inventoryImage(image.source, image.manifest));
});

after(() => rmSync(dir, { recursive: true, force: true }));

const found = (): string[] => packages.filter((p) => p.type === 'maven').map((p) => `${p.name}@${p.version}`).sort();

describe('a Maven-built OSGi bundle is named once, by its pom.properties', () => {
  it('snakeyaml 1.33 (Bundle-Version 1.33.0) is org.yaml:snakeyaml@1.33 alone, not twice', () => {
    assert.deepEqual(found().filter((n) => n.includes('snakeyaml')), ['org.yaml:snakeyaml@1.33']);
  });

  it('guava 31.1-jre (Bundle-Version 31.1.0.jre) gets no made-up names', () => {
    assert.deepEqual(found().filter((n) => n.includes('guava')), ['com.google.guava:guava@31.1-jre']);
  });

  it('no note calls their own pom.properties shaded', () => {
    assert.deepEqual(notes.filter((n) => n.includes('shaded into it')), []);
  });
});
