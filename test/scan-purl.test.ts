// One purl builder for the inventory, the SBOM and the reports, checked against
// packageurl-js (the purl project's JavaScript implementation) and the purl-spec's
// own examples in PURL-TYPES.rst.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PackageURL } from 'packageurl-js';
import type { PackageType } from '../src/scan/model.ts';
import { purlFor } from '../src/scan/purl.ts';

const debian = { id: 'debian', versionId: '12' };
const pkg = (type: PackageType, name: string, version: string, extra: Record<string, unknown> = {}) => ({ type, name, version, ...extra });

test('every package type maps to its purl type, namespace and name (purl-spec PURL-TYPES examples)', () => {
  const table: Array<[string | undefined, string]> = [
    [purlFor(pkg('golang', 'github.com/gorilla/context', '1.1.2'), undefined), 'pkg:golang/github.com/gorilla/context@v1.1.2'],
    [purlFor(pkg('golang', 'github.com/gorilla/context', 'v1.1.2'), undefined), 'pkg:golang/github.com/gorilla/context@v1.1.2'],
    [purlFor(pkg('golang', 'stdlib', '1.19.8'), undefined), 'pkg:golang/stdlib@1.19.8'],
    [purlFor(pkg('maven', 'org.apache.xmlgraphics:batik-anim', '1.9.1'), undefined), 'pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1'],
    [purlFor(pkg('nuget', 'EnterpriseLibrary.Common', '6.0.1304'), undefined), 'pkg:nuget/EnterpriseLibrary.Common@6.0.1304'],
    [purlFor(pkg('composer', 'laravel/laravel', '5.5.0'), undefined), 'pkg:composer/laravel/laravel@5.5.0'],
    [purlFor(pkg('gem', 'ruby-advisory-db-check', '0.12.4'), undefined), 'pkg:gem/ruby-advisory-db-check@0.12.4'],
    [purlFor(pkg('cargo', 'rand', '0.7.2'), undefined), 'pkg:cargo/rand@0.7.2'],
    [purlFor(pkg('npm', '@angular/animation', '12.3.1', { namespace: '@angular' }), undefined), 'pkg:npm/%40angular/animation@12.3.1'],
    [purlFor(pkg('rpm', 'krb5-libs', '1:1.18.2-26.el8', { epoch: 1, arch: 'x86_64' }), { id: 'rhel', versionId: '8.9' }), 'pkg:rpm/rhel/krb5-libs@1.18.2-26.el8?arch=x86_64&distro=rhel-8.9&epoch=1'],
  ];
  assert.deepEqual(table.map(([got]) => got), table.map(([, want]) => want));
});

test('the two builders that disagreed now agree: PyPI keeps `.` as the spec says, Debian epochs keep `:`', () => {
  // The inventory matches on the PEP 503 name; the purl keeps the distribution's own spelling.
  assert.equal(purlFor(pkg('pypi', 'zope-interface', '5.5.2', { purlName: 'zope.interface' }), undefined), 'pkg:pypi/zope.interface@5.5.2');
  assert.equal(purlFor(pkg('pypi', 'Zope_Interface', '5.5.2'), undefined), 'pkg:pypi/zope-interface@5.5.2');
  const libc = purlFor(pkg('deb', 'libc6', '1:2.36-9', { arch: 'amd64' }), debian);
  assert.equal(libc, 'pkg:deb/debian/libc6@1:2.36-9?arch=amd64&distro=debian-12');
  // The SBOM's path (a Package from another engine, arch from the platform) builds the same string.
  assert.equal(purlFor(pkg('deb', 'libc6', '1:2.36-9'), debian, 'linux/amd64'), libc);
});

test('byte-for-byte what packageurl-js writes, odd characters included', () => {
  const odd = ['a b', 'ü', 'x/y', 'v1+build', '1:2~rc1', 'a?b#c', '100%'];
  for (const version of odd) {
    const got = purlFor(pkg('gem', 'rack', version), undefined);
    assert.equal(got, new PackageURL('gem', undefined, 'rack', version, undefined, undefined).toString(), version);
  }
});

test('a package with no name has no purl instead of an exception', () => {
  assert.equal(purlFor(pkg('cargo', '', '1.0.0'), undefined), undefined);
  assert.equal(purlFor(pkg('other', 'x', '1'), undefined), undefined);
});
