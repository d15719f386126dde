// Jars published to Maven Central without META-INF/maven/**/pom.properties (built by
// Gradle, Ant or Tycho), as they sit in an app's lib directory (Spring Boot BOOT-INF/lib,
// Jib's /app/libs, `-Djarmode=tools extract`'s lib/): README says such a jar is named
// from MANIFEST.MF and its file name. The manifests in fixtures/inventory/java-manifest-only
// are the real ones of the jars on Maven Central, copied whole with `unzip -p` (classes
// left out). Found by review; each case failed before its fix:
//  - json-path 2.10.0 (Gradle) was dropped with a note ("MANIFEST.MF does not name the
//    artifact"): its Implementation-Version is Gradle's unresolved "task ':json-path:jar'
//    property 'archiveVersion'", which was taken over the valid Bundle-Version 2.10.0, and
//    its symbolic name is the bare artifact, so no group was found. json-path < 2.9.0 is
//    CVE-2023-51074.
//  - ant 1.10.15 (Ant's own build) was dropped too: its version is only in a per-entry
//    section (`Name: org/apache/tools/ant/`), and only the main section was read. ant <
//    1.10.11 is CVE-2021-36373 / CVE-2021-36374.
//  - jdom2 2.0.6.1 (Ant) was dropped too: its sections state `2.x-<build date>`, a
//    release line, not a release. jdom2 < 2.0.6.1 is CVE-2021-33813.
//  - caffeine, JNA, ASM and Equinox (org.eclipse.osgi) were named under groups no
//    advisory uses (com.github.ben-manes, com.sun, org.objectweb, org.eclipse), so OSV,
//    which matches group:artifact, found nothing for them.
// Now each is named as Maven Central publishes it, from its own manifest.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryOfLayers } from './support/inventory-image.ts';
import { buildZip } from './support/zip-writer.ts';

const manifest = (name: string): Buffer => readFileSync(new URL(`./fixtures/inventory/java-manifest-only/${name}.MANIFEST.MF`, import.meta.url));
const jar = (name: string): Buffer => buildZip([{ name: 'META-INF/MANIFEST.MF', data: manifest(name) }, { name: 'placeholder.class', data: 'x' }]);

async function named(file: string): Promise<{ found: string[]; notes: string }> {
  const inventory = await inventoryOfLayers([{ name: `app/lib/${file}.jar`, content: jar(file) }]);
  return { found: inventory.packages.map((p) => `${p.name}@${p.version}`), notes: inventory.notes.join(' | ') };
}

describe('jars without pom.properties, named by MANIFEST.MF and file name', () => {
  for (const [file, expected] of [
    ['json-path-2.10.0', 'com.jayway.jsonpath:json-path@2.10.0'],
    ['ant-1.10.15', 'org.apache.ant:ant@1.10.15'],
    ['jdom2-2.0.6.1', 'org.jdom:jdom2@2.0.6.1'],
    // The group is the whole symbolic name: caffeine's artifact is also its group's last word.
    ['caffeine-3.2.2', 'com.github.ben-manes.caffeine:caffeine@3.2.2'],
    // Packages named for the project's old homes (com.sun, ObjectWeb), published under new groups.
    ['jna-5.17.0', 'net.java.dev.jna:jna@5.17.0'],
    ['jna-platform-5.17.0', 'net.java.dev.jna:jna-platform@5.17.0'],
    ['asm-9.9', 'org.ow2.asm:asm@9.9'],
    ['asm-tree-9.9', 'org.ow2.asm:asm-tree@9.9'],
    // Tycho's build: the symbolic name is the artifact, Bundle-Version carries Eclipse's
    // build qualifier (3.22.0.v20241030-2121), which Maven Central's version drops.
    ['org.eclipse.osgi-3.22.0', 'org.eclipse.platform:org.eclipse.osgi@3.22.0'],
  ] as const) {
    it(`app/lib/${file}.jar → ${expected}`, async () => {
      const { found, notes } = await named(file);
      assert.deepEqual(found, [expected], `notes: ${notes}`);
    });
  }
});

// Per-entry sections are read only when they name one release: Ant's layout, with two
// packages at different versions (as a jar repackaging another's classes would have).
describe('per-entry sections that disagree', () => {
  const sections = (main: string[]): string =>
    [...main, '', 'Name: org/example/core/', 'Implementation-Version: 1.4.2', '', 'Name: org/other/lib/', 'Implementation-Version: 0.9.0', '', ''].join('\r\n');
  const layers = (text: string) => [{ name: 'app/lib/ant-1.4.2.jar', content: buildZip([{ name: 'META-INF/MANIFEST.MF', data: text }]) }];

  it('are not guessed between', async () => {
    const inventory = await inventoryOfLayers(layers(sections(['Manifest-Version: 1.0'])));
    assert.deepEqual(inventory.packages, []);
    assert.match(inventory.notes.join('\n'), /MANIFEST\.MF does not name the artifact; not matched/);
  });

  it('give the version of the section for the package the module is named for', async () => {
    const inventory = await inventoryOfLayers(layers(sections(['Manifest-Version: 1.0', 'Automatic-Module-Name: org.example.core'])));
    assert.deepEqual(inventory.packages.map((p) => `${p.name}@${p.version}`), ['org.apache.ant:ant@1.4.2']);
  });
});
