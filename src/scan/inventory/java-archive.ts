// Java archives (.jar, .war, .ear, .par; Jenkins' .jpi, .hpi), read as they stream
// past, never buffered whole: every `META-INF/maven/<group>/<artifact>/pom.properties`
// names a Maven artifact (a shaded jar holds several); archives nested inside (Spring
// Boot's BOOT-INF/lib, a war's WEB-INF/lib, an ear's modules) are read the same way,
// to MAX_DEPTH. An archive without pom.properties falls back to MANIFEST.MF and its
// file name, which is less certain and said so in a note (as osv-scalibr and Trivy do
// before asking Maven Central by checksum, which an offline scanner cannot).
import { posix } from 'node:path';
import type { Analysis, Analyzer, RawPackage, StreamReader } from './analyzer.ts';
import { displayPath } from './analyzer.ts';
import { ZipArchiveReader, type ZipEntryHeader } from './zip-stream.ts';

// The zips a Java runtime loads classes from: jars, web and enterprise archives, Jenkins
// plugins (jpi, hpi), JBoss/WildFly service archives (sar), Apache NiFi archives (nar,
// whose META-INF/bundled-dependencies jars NiFi puts on the archive's class loader), Karaf
// features (kar) and Liferay packages (lpkg), as syft's Java cataloger opens them.
const ARCHIVE = /\.(jar|war|ear|par|sar|nar|kar|lpkg|jpi|hpi)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MANIFEST = 'META-INF/MANIFEST.MF';
/** Archives inside archives inside the image file: an ear's war's jars is depth 2. */
export const MAX_DEPTH = 3;
const METADATA_CAP = 1024 * 1024;
/** One nested archive is held in memory while it is read; real ones are a few MiB. */
export const NESTED_CAP = 64 * 1024 * 1024;

export const javaArchiveAnalyzer: Analyzer = {
  name: 'java-archive',
  interest() {
    return undefined;
  },
  parse(path, data) {
    const reader = new JavaArchiveReader(displayPath(path), 0);
    reader.write(data);
    reader.end();
    return reader.result();
  },
  stream(path) {
    return ARCHIVE.test(path) ? new JavaArchiveReader(displayPath(path), 0) : undefined;
  },
  readsName(path) {
    return ARCHIVE.test(path);
  },
  key(pkg) {
    return pkg.name;
  },
};

export class JavaArchiveReader extends ZipArchiveReader implements StreamReader {
  private readonly poms: RawPackage[] = [];
  private readonly nested: RawPackage[] = [];
  private manifest: string | undefined;
  private readonly depth: number;

  constructor(shown: string, depth: number) {
    super(shown);
    this.depth = depth;
  }

  result(): Analysis {
    return { packages: unique([...this.own(), ...this.nested]), notes: this.notes };
  }

  /**
   * The archive's own artifact: its pom.properties, else MANIFEST.MF and the file name.
   * A shaded jar carries its dependencies' pom.properties too, and a Gradle-built one
   * that shaded a Maven artifact carries only those: when none of them is the archive's
   * own (isOwnPom), the manifest names the archive as well (opentelemetry-sdk-trace
   * 1.55.0 read as org.jctools:jctools-core alone, with no word of itself).
   */
  private own(): RawPackage[] {
    if (this.poms.length === 0) return this.fromManifest('no pom.properties');
    const stated = this.manifest === undefined ? undefined : statedVersion(parseManifest(this.manifest));
    const file = posix.basename(this.shown);
    if (stated === undefined || this.poms.some((pom) => isOwnPom(pom, file, stated))) return this.poms;
    return [...this.poms, ...this.fromManifest(`no pom.properties at its own version (${stated}; those it holds are of artifacts shaded into it)`)];
  }

  protected wants(entry: ZipEntryHeader): number | undefined {
    if (POM_PROPERTIES.test(entry.name) || entry.name === MANIFEST) return METADATA_CAP;
    if (!ARCHIVE.test(entry.name)) return undefined;
    if (this.depth + 1 < MAX_DEPTH) return NESTED_CAP;
    this.notes.push(`${this.shown}: archive ${entry.name} is nested more than ${MAX_DEPTH - 1} deep; not read.`);
    return undefined;
  }

  protected entry(entry: ZipEntryHeader, data: Buffer): void {
    if (entry.name === MANIFEST) {
      this.manifest = data.toString('utf8');
    } else if (POM_PROPERTIES.test(entry.name)) {
      const pkg = fromPomProperties(data.toString('utf8'));
      if (pkg) this.poms.push(pkg);
      else this.notes.push(`${this.shown}: ${entry.name} has no groupId, artifactId or version; skipped.`);
    } else {
      const inner = new JavaArchiveReader(`${this.shown}!/${entry.name}`, this.depth + 1);
      inner.write(data);
      inner.end();
      const { packages, notes } = inner.result();
      this.nested.push(...packages);
      this.notes.push(...notes);
    }
  }

  private fromManifest(why: string): RawPackage[] {
    if (this.manifest === undefined) return [];
    const found = fromManifest(parseManifestSections(this.manifest), posix.basename(this.shown));
    if (found.length === 0) {
      this.notes.push(`${this.shown}: ${why}, and MANIFEST.MF does not name the artifact; not matched.`);
      return [];
    }
    const names = found.map((p) => p.name).join(' or ');
    this.notes.push(`${this.shown}: ${why}; identified as ${names} ${found[0]!.version} from MANIFEST.MF and the file name, which is less certain.`);
    // catalina.jar, the server's core, stands for the distribution too: many of Tomcat's
    // advisories (GHSA-r84p-88g2-2vx2, CVE-2022-29885) name only org.apache.tomcat:tomcat.
    const catalina = found.find((p) => p.name === 'org.apache.tomcat:tomcat-catalina');
    return catalina === undefined ? found : [...found, { ...catalina, name: 'org.apache.tomcat:tomcat' }];
  }
}

/** `key=value` / `key: value` lines of a Java properties file (the subset Maven writes). */
export function parseProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (match) properties.set(match[1]!, match[2]!.trim());
  }
  return properties;
}

function fromPomProperties(text: string): RawPackage | undefined {
  const properties = parseProperties(text);
  const group = properties.get('groupId');
  const artifact = properties.get('artifactId');
  const version = properties.get('version');
  if (!group || !artifact || !version) return undefined;
  return { type: 'maven', name: `${group}:${artifact}`, version };
}

/** The main section of a manifest: `Name: value` lines, continuation lines starting with one space. */
export function parseManifest(text: string): Map<string, string> {
  return parseManifestSections(text)[0] ?? new Map();
}

/**
 * Every section of a manifest, the main one first: sections are separated by blank
 * lines, and those after the main one each start with `Name:` (a package, `org/apache/tools/ant/`,
 * or a signed jar's per-file digests).
 */
export function parseManifestSections(text: string): Map<string, string>[] {
  const sections: Map<string, string>[] = [];
  let headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') {
      if (headers.size > 0 || sections.length === 0) sections.push(headers);
      headers = new Map();
      last = undefined;
      continue;
    }
    if (line.startsWith(' ') && last !== undefined) {
      headers.set(last, headers.get(last)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    headers.set(last, line.slice(colon + 1).trim());
  }
  if (headers.size > 0 || sections.length === 0) sections.push(headers);
  return sections;
}

/**
 * The version the main section states: Implementation-Version, else Bundle-Version, each
 * only when it is a version (see releaseVersion). Gradle writes its unresolved property
 * when a build sets the version too late (json-path 2.10.0: "task ':json-path:jar'
 * property 'archiveVersion'"), and taking that over the valid Bundle-Version left the
 * jar unnamed.
 */
function statedVersion(headers: Map<string, string>): string | undefined {
  return releaseVersion(headers.get('Implementation-Version')) ?? releaseVersion(headers.get('Bundle-Version'));
}

/**
 * A header's value as a Maven version, without the build stamp some builds append:
 * Kotlin's `1.8.21-release-380(1.8.21)` (its build number) and JNA's `5.13.0 (b0)` are
 * Maven's 1.8.21 and 5.13.0 (`-release-<n>` is Kotlin's alone). What is left must start
 * with a digit and have no spaces, as every Maven version does, and name a release, not
 * a release line: jdom2's Ant build writes `2.x-2021.11.08.17.25` for 2.0.6.1.
 */
function releaseVersion(value: string | undefined): string | undefined {
  const version = value?.replace(/-release-\d+\s*(\([^)]*\))?$/, '').replace(/\s+\([^)]*\)$/, '');
  if (version === undefined || !/^\d\S*$/.test(version)) return undefined;
  const lineWildcard = version.split(/[.-]/).some((part) => part === 'x' || part === 'X');
  return lineWildcard ? undefined : version;
}

/**
 * A pom.properties is the archive's own when it is at the version the manifest states, or
 * names the artifact the file is named for (maven-bundle-plugin writes OSGi versions:
 * snakeyaml 1.33's manifest says 1.33.0).
 */
function isOwnPom(pom: RawPackage, file: string, stated: string): boolean {
  return sameVersion(pom.version, stated) || fileArtifact(file, pom.version) === pom.name.slice(pom.name.indexOf(':') + 1);
}

/** `32.1.2-jre` and OSGi's `32.1.2.jre`, `1.5.7-4` and `1.5.7.4`: one version written two ways. */
function sameVersion(a: string, b: string): boolean {
  return a.replace(/[-_]/g, '.') === b.replace(/[-_]/g, '.');
}

/**
 * Group from Implementation-Vendor-Id or the OSGi symbolic name, artifact from the file
 * name (version dropped) or a one-word title, version from the manifest. A symbolic name
 * is usually the group and the artifact's last word (`com.github.luben.zstd-jni`,
 * `org.apache.commons.lang3`); when the artifact is that word and a suffix, bnd may have
 * written the group alone (okio-jvm-3.3.0.jar's is `com.squareup.okio`, its group): both
 * readings are named, as no advisory names the one that is wrong.
 */
function fromManifest(sections: Map<string, string>[], file: string): RawPackage[] {
  const headers = sections[0]!;
  const stated = manifestVersion(headers, sections);
  if (!stated) return moduleOnly(headers, file);
  const version = publishedVersion(stated, file);
  const symbolic = headers.get('Bundle-SymbolicName')?.split(';')[0]?.trim();
  const tomcat = tomcatCoordinates(headers, symbolic, file, version);
  if (tomcat !== undefined) return [{ type: 'maven', name: tomcat, version }];
  const single = (value: string | undefined): string | undefined => (value && !/\s/.test(value) ? value : undefined);
  // `commons-lang3-3.12.0.jar`, `guice-servlet.jar`: the file name is the artifact more often than any header.
  const base = fileArtifact(file, version);
  const artifact = single(base) ?? single(headers.get('Implementation-Title')) ?? single(headers.get('Bundle-Name')) ?? symbolic?.slice(symbolic.lastIndexOf('.') + 1);
  if (!artifact) return [];
  const groups = manifestGroups(headers, symbolic, artifact);
  return groups.map((group) => ({ type: 'maven', name: `${group}:${artifact}`, version }));
}

/**
 * The version of the archive: the main section's, else the one per-entry sections state.
 * Ant's own jars and others built by Ant's <manifest> task put it only in a section for
 * their package (ant 1.10.15: `Name: org/apache/tools/ant/`, Implementation-Version
 * 1.10.15), and reading the main section alone left them unnamed.
 */
function manifestVersion(headers: Map<string, string>, sections: Map<string, string>[]): string | undefined {
  return statedVersion(headers) ?? sectionVersion(headers, sections);
}

/**
 * The Implementation-Version of per-entry sections, when they agree, or else of the
 * section for the package the main section names (its Automatic-Module-Name or symbolic
 * name). Specification-Version is not read: it is the version of the specification a
 * package implements (jdom2's sections say 2.0.0, JNA's 5), not the release.
 */
function sectionVersion(headers: Map<string, string>, sections: Map<string, string>[]): string | undefined {
  const stated = sections.slice(1).filter((section) => releaseVersion(section.get('Implementation-Version')) !== undefined);
  const versions = new Set(stated.map((section) => releaseVersion(section.get('Implementation-Version'))));
  if (versions.size === 1) return [...versions][0];
  const named = [headers.get('Automatic-Module-Name'), headers.get('Bundle-SymbolicName')?.split(';')[0]?.trim()];
  const own = stated.find((section) => named.includes(sectionPackage(section)));
  return own === undefined ? undefined : releaseVersion(own.get('Implementation-Version'));
}

/**
 * Eclipse's Tycho builds state the OSGi version with its build qualifier
 * (org.eclipse.osgi's `3.22.0.v20241030-2121`) and publish to Maven Central without it
 * (3.22.0), the version advisories use. The qualifier is cut only when the file is named
 * for the version without it, so a Maven version such as `3.1.0.RELEASE` stays whole.
 */
function publishedVersion(version: string, file: string): string {
  const release = /^(\d+\.\d+\.\d+)\.[A-Za-z]/.exec(version)?.[1];
  if (release === undefined || !file.replace(ARCHIVE, '').endsWith(`-${release}`)) return version;
  return release;
}

/** `Name: org/apache/tools/ant/` → `org.apache.tools.ant`. */
function sectionPackage(section: Map<string, string>): string | undefined {
  return section.get('Name')?.replace(/\/$/, '').replaceAll('/', '.');
}

/**
 * Gradle builds that write no version at all, only the module name (OkHttp 4.x's
 * okhttp/build.gradle: `Automatic-Module-Name: okhttp3`, nothing else): the group comes
 * from the module name, known here, and artifact and version from the file name
 * (okhttp-4.9.1.jar), so an image with OkHttp before 4.9.2 is not passed unread. jdom2's
 * Ant build states only a release line (`2.x-<build date>`) and its module name.
 */
const MODULE_GROUPS: ReadonlyMap<string, string> = new Map([
  ['okhttp3', 'com.squareup.okhttp3'], ['okhttp3.logging', 'com.squareup.okhttp3'], ['okhttp3.mockwebserver', 'com.squareup.okhttp3'],
  ['okhttp3.urlconnection', 'com.squareup.okhttp3'], ['okhttp3.tls', 'com.squareup.okhttp3'], ['okhttp3.dnsoverhttps', 'com.squareup.okhttp3'],
  ['okhttp3.sse', 'com.squareup.okhttp3'], ['okhttp3.brotli', 'com.squareup.okhttp3'], ['okio', 'com.squareup.okio'],
  ['org.jdom2', 'org.jdom'],
]);

/**
 * Symbolic names that do not contain their group: JNA's and ASM's are their packages,
 * named for the projects' old homes (com.sun, ObjectWeb) and published as net.java.dev.jna
 * and org.ow2.asm; caffeine's group ends in its artifact (com.github.ben-manes.caffeine:caffeine);
 * Equinox's is the artifact (org.eclipse.platform:org.eclipse.osgi). Cut at their last dot
 * they gave com.sun, org.objectweb, com.github.ben-manes and org.eclipse, groups no
 * advisory names. Each covers the names under it (`org.objectweb.asm.tree`, `com.sun.jna.platform`).
 */
const SYMBOLIC_GROUPS: readonly [symbolic: string, group: string][] = [
  ['com.sun.jna', 'net.java.dev.jna'], ['org.objectweb.asm', 'org.ow2.asm'],
  ['com.github.ben-manes.caffeine', 'com.github.ben-manes.caffeine'], ['org.eclipse.osgi', 'org.eclipse.platform'],
];

function symbolicGroup(symbolic: string | undefined): string | undefined {
  if (symbolic === undefined) return undefined;
  return SYMBOLIC_GROUPS.find(([name]) => symbolic === name || symbolic.startsWith(`${name}.`))?.[1];
}

function moduleOnly(headers: Map<string, string>, file: string): RawPackage[] {
  const group = MODULE_GROUPS.get(headers.get('Automatic-Module-Name') ?? '');
  const named = /^(.+?)-(\d[\w.~+-]*)$/.exec(file.replace(ARCHIVE, ''));
  if (group === undefined || !named) return [];
  return [{ type: 'maven', name: `${group}:${named[1]}`, version: named[2]! }];
}

function manifestGroups(headers: Map<string, string>, symbolic: string | undefined, artifact: string): string[] {
  const vendor = headers.get('Implementation-Vendor-Id');
  if (vendor) return [vendor];
  const renamed = symbolicGroup(symbolic);
  if (renamed !== undefined) return [renamed];
  if (symbolic?.includes('.')) {
    const cut = symbolic.slice(0, symbolic.lastIndexOf('.'));
    const last = symbolic.slice(cut.length + 1);
    // bnd's and H2's symbolic name is sometimes the group alone: `com.squareup.okio` for
    // okio-jvm, `com.h2database` for h2 (read as `com:h2`, a group no advisory names, so
    // H2's console RCE, CVE-2021-42392, was missed). A one-word cut (`com`) is not the group then.
    if (!cut.includes('.') && last.startsWith(artifact)) return [symbolic];
    return artifact.startsWith(`${last}-`) || (last.startsWith(artifact) && last !== artifact) ? [cut, symbolic] : [cut];
  }
  // Kotlin's own jars (kotlin-stdlib, kotlin-reflect, kotlin-script-runtime): JetBrains, no vendor id, no OSGi name.
  if (headers.get('Implementation-Vendor') === 'JetBrains' && artifact.startsWith('kotlin-')) return ['org.jetbrains.kotlin'];
  const known = knownGroup(artifact);
  return known === undefined ? [] : [known];
}

/**
 * `commons-lang3-3.12.0.jar` → `commons-lang3`: the file name without its extension and
 * version; the version the manifest states is cut whole (`zstd-jni-1.5.7-4.jar`,
 * `spring-web-6.1.0-RC1.jar`), a version-like tail otherwise.
 */
function fileArtifact(file: string, version: string | undefined): string {
  const stem = file.replace(ARCHIVE, '');
  if (version && stem.endsWith(`-${version}`) && stem.length > version.length + 1) return stem.slice(0, -version.length - 1);
  return stem.replace(/-\d[\w.~+]*$/, '');
}

/**
 * Tomcat's jars come from its Ant build: no pom.properties, and bnd's OSGi names
 * (`org.apache.tomcat-embed-core`) that cut at their last dot give `org.apache`, a group
 * no advisory uses, so an image with a vulnerable Tomcat passed. Both the embedded jars
 * a Spring Boot web app carries (BOOT-INF/lib/tomcat-embed-core-*.jar) and the official
 * image's /usr/local/tomcat/lib (catalina.jar, tomcat-coyote.jar) are published to Maven
 * as org.apache.tomcat.embed:tomcat-embed-* and org.apache.tomcat:tomcat-*, names
 * Tomcat's advisories use (with org.apache.tomcat:tomcat, the distribution, which
 * catalina.jar also stands for: see fromManifest above). Older jars without bnd's names are named by
 * their file, with the `tomcat-` Maven adds (catalina.jar is tomcat-catalina).
 */
function tomcatCoordinates(headers: Map<string, string>, symbolic: string | undefined, file: string, version: string): string | undefined {
  if (headers.get('Implementation-Title') !== 'Apache Tomcat' || headers.get('Implementation-Vendor') !== 'Apache Software Foundation') return undefined;
  const base = fileArtifact(file, version);
  const named = symbolic?.startsWith('org.apache.tomcat-') ? symbolic.slice('org.apache.'.length) : base.startsWith('tomcat-') ? base : `tomcat-${base}`;
  if (!/^[\w.-]+$/.test(named)) return undefined;
  return `${named.startsWith('tomcat-embed-') ? 'org.apache.tomcat.embed' : 'org.apache.tomcat'}:${named}`;
}

/**
 * The Spring projects build with Gradle and write neither pom.properties nor a vendor id:
 * without this their jars went unnamed, and a Spring Boot image passed with spring-beans
 * 5.3.17 in it (Spring4Shell). Their artifacts are named for their group's project.
 */
const SPRING_GROUPS: readonly [prefix: string, group: string][] = [
  ['spring-boot', 'org.springframework.boot'], ['spring-security-', 'org.springframework.security'],
  ['spring-data-', 'org.springframework.data'], ['spring-cloud-', 'org.springframework.cloud'],
  ['spring-session-', 'org.springframework.session'], ['spring-batch-', 'org.springframework.batch'],
  ['spring-integration-', 'org.springframework.integration'], ['spring-kafka', 'org.springframework.kafka'],
  ['spring-amqp', 'org.springframework.amqp'], ['spring-rabbit', 'org.springframework.amqp'],
  ['spring-ws-', 'org.springframework.ws'], ['spring-graphql', 'org.springframework.graphql'],
];
const SPRING_FRAMEWORK = new Set(['spring-aop', 'spring-aspects', 'spring-beans', 'spring-context', 'spring-context-indexer',
  'spring-context-support', 'spring-core', 'spring-expression', 'spring-instrument', 'spring-jcl', 'spring-jdbc', 'spring-jms',
  'spring-messaging', 'spring-orm', 'spring-oxm', 'spring-r2dbc', 'spring-test', 'spring-tx', 'spring-web', 'spring-webflux',
  'spring-webmvc', 'spring-websocket']);

/**
 * Other jars whose manifest names no group at all: json-path's symbolic name is the bare
 * artifact (Gradle's bnd plugin), Ant's own build writes no OSGi headers or vendor id.
 */
const ARTIFACT_GROUPS: ReadonlyMap<string, string> = new Map([['json-path', 'com.jayway.jsonpath'], ['ant', 'org.apache.ant']]);

function knownGroup(artifact: string): string | undefined {
  if (SPRING_FRAMEWORK.has(artifact)) return 'org.springframework';
  return ARTIFACT_GROUPS.get(artifact) ?? SPRING_GROUPS.find(([prefix]) => artifact.startsWith(prefix))?.[1];
}

function unique(packages: RawPackage[]): RawPackage[] {
  const seen = new Set<string>();
  return packages.filter((p) => {
    const key = `${p.name}@${p.version}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
