// Found by a review: Java archive kinds the scanner never opens. Apache NiFi loads every
// `lib/*.nar` (a zip whose META-INF/bundled-dependencies/*.jar go on the NAR's class
// loader; NarUnpacker/NarClassLoader in apache/nifi); JBoss/WildFly deploy `.sar`,
// Karaf `.kar`, Liferay `.lpkg`. Syft's java-archive cataloger opens all of them
// (syft/pkg/cataloger/java/archive_parser.go archiveFormatGlobs: jar war ear par sar nar jpi hpi kar lpkg).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inventoryOfLayers } from './support/inventory-image.ts';
import { buildZip } from './support/zip-writer.ts';

const innerJar = buildZip([
  { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n\n' },
  { name: 'META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.properties', data: 'groupId=com.fasterxml.jackson.core\nartifactId=jackson-databind\nversion=2.9.8\n' },
]);

for (const [path, member] of [
  ['opt/nifi/nifi-current/lib/nifi-standard-nar-1.9.0.nar', 'META-INF/bundled-dependencies/jackson-databind-2.9.8.jar'],
  ['opt/jboss/standalone/deployments/service.sar', 'lib/jackson-databind-2.9.8.jar'],
  ['opt/karaf/deploy/feature.kar', 'repository/jackson-databind-2.9.8.jar'],
  // Control: the same archive named .war is read.
  ['usr/local/tomcat/webapps/app.war', 'WEB-INF/lib/jackson-databind-2.9.8.jar'],
] as const) {
  it(`a jar inside ${path} is inventoried`, async () => {
    const archive = buildZip([
      { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n\n' },
      { name: member, data: innerJar, stored: true },
    ]);
    const { packages, notes } = await inventoryOfLayers([{ name: path, content: archive }]);
    const found = packages.find((p) => p.name === 'com.fasterxml.jackson.core:jackson-databind');
    assert.ok(found, `jackson-databind 2.9.8 missing; packages=${JSON.stringify(packages.map((p) => p.name))} notes=${JSON.stringify(notes)}`);
    assert.equal(found.version, '2.9.8');
  });
}
