// .NET dependency manifests (*.deps.json) → NuGet, from a fixture written from the
// format's documentation (test/fixtures/inventory/dotnet/README.md: Debian has no .NET SDK).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inventoryImage, NO_OS_NOTE } from '../src/scan/inventory.ts';
import { dotnetDepsAnalyzer } from '../src/scan/inventory/dotnet-deps.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { compareNuGet } from '../src/scan/version/nuget.ts';
import { comparatorFor } from '../src/scan/version/index.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { OsvServer } from './support/osv-server.ts';
import { MemoryLogger } from '../src/log.ts';
import type { OsvRecord } from '../src/scan/osv/record.ts';

const RECORDS = fileURLToPath(new URL('./fixtures/osv/records/', import.meta.url));
const DEPS = readFileSync(new URL('./fixtures/inventory/dotnet/WebShop.deps.json', import.meta.url));
/** The fixture's libraries of type "package", as the documentation defines them. */
const TRUTH = new Map([
  ['Newtonsoft.Json', '12.0.3'], ['Serilog', '3.1.1'], ['Serilog.AspNetCore', '8.0.1'],
  ['System.Text.Encodings.Web', '4.7.2'], ['Microsoft.Data.SqlClient.SNI.runtime', '5.1.1'],
]);

describe('.NET deps.json', () => {
  it('every NuGet package, no project or framework reference: missing, extra, wrong all zero', async () => {
    const image = new InventoryImage();
    const layer = await image.layer([{ name: 'app/WebShop.deps.json', content: DEPS }]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(notes, [NO_OS_NOTE]);
    const got = new Map(packages.map((p) => [p.name, p.version]));
    const missing = [...TRUTH.keys()].filter((k) => !got.has(k));
    const extra = [...got.keys()].filter((k) => !TRUTH.has(k));
    const wrong = [...TRUTH].filter(([k, v]) => got.has(k) && got.get(k) !== v).map(([k]) => k);
    assert.deepEqual({ missing, extra, wrong }, { missing: [], extra: [], wrong: [] });
    for (const pkg of packages) {
      assert.equal(pkg.ecosystem, 'NuGet');
      assert.equal(pkg.layer, layer.digest);
      assert.equal(pkg.purl, `pkg:nuget/${pkg.name}@${pkg.version}`);
    }
  });

  it('what is not a deps.json is a note', () => {
    assert.match(dotnetDepsAnalyzer.parse('a.deps.json', Buffer.from('{')).notes[0] ?? '', /not valid JSON/);
    assert.match(dotnetDepsAnalyzer.parse('a.deps.json', Buffer.from('{"targets":{}}')).notes[0] ?? '', /no "libraries" object/);
    assert.equal(dotnetDepsAnalyzer.interest('app/WebShop.runtimeconfig.json'), undefined);
  });

  it('matches the real advisory GHSA-5crp-9r3c-p9vr (Newtonsoft.Json before 13.0.1)', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'app/WebShop.deps.json', content: DEPS }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const { matches } = await matchPackages(packages, { vulnDb: RECORDS });
    assert.deepEqual(matches.map((m) => [m.record.id, m.package.name, m.fixed]), [['GHSA-5crp-9r3c-p9vr', 'Newtonsoft.Json', '13.0.1']]);
  });
});

describe('.NET runtime', () => {
  const deps = (libraries: Record<string, string>) =>
    Buffer.from(JSON.stringify({ libraries: Object.fromEntries(Object.entries(libraries).map(([k, type]) => [k, { type, serviceable: true, sha512: '' }])) }));
  // GHSA files the runtime under both spellings of its id (Microsoft.NETCore… and Microsoft.NetCore…).
  const runtimeAdvisory = (id: string, name: string): OsvRecord => ({
    id, modified: '2025-06-10T00:00:00Z',
    affected: [{ package: { ecosystem: 'NuGet', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '8.0.0' }, { fixed: '8.0.17' }] }] }],
  });

  it('a self-contained app\'s runtime packs are packages (runtimepack.<id>), so the runtime it carries is scanned', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'app/Shop.deps.json', content: deps({ 'Newtonsoft.Json/13.0.3': 'package', 'Shop/1.0.0': 'project',
      'runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.5': 'runtimepack', 'runtimepack.Microsoft.AspNetCore.App.Runtime.linux-x64/8.0.5': 'runtimepack' }) }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`).sort(),
      ['Microsoft.AspNetCore.App.Runtime.linux-x64@8.0.5', 'Microsoft.NETCore.App.Runtime.linux-x64@8.0.5', 'Newtonsoft.Json@13.0.3']);
  });

  it('NuGet ids compare case-insensitively: an advisory spelling the runtime Microsoft.NetCore… matches Microsoft.NETCore…, offline and online, once', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.5/Microsoft.NETCore.App.deps.json',
      content: deps({ 'Microsoft.NETCore.App.Runtime.linux-x64/8.0.5': 'package' }) }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const record = runtimeAdvisory('GHSA-test-0001', 'Microsoft.NetCore.App.Runtime.linux-x64');
    const db = await mkdtemp(join(tmpdir(), 'immutag-nuget-db-'));
    const server = await new OsvServer([record]).start();
    try {
      await mkdir(join(db, 'NuGet'));
      await writeFile(join(db, 'NuGet', 'GHSA-test-0001.json'), JSON.stringify(record));
      const offline = await matchPackages(packages, { vulnDb: db });
      assert.deepEqual(offline.matches.map((m) => [m.record.id, m.fixed]), [['GHSA-test-0001', '8.0.17']]);
      const online = await matchPackages(packages, { osvUrl: server.url, logger: new MemoryLogger() });
      await online.close?.();
      assert.deepEqual(online.matches.map((m) => [m.record.id, m.fixed]), [['GHSA-test-0001', '8.0.17']]);
    } finally {
      await server.stop();
      await rm(db, { recursive: true, force: true });
    }
  });
});

describe('NuGet version order (NuGet.Versioning, as documented)', () => {
  it('SemVer 2.0 precedence with a fourth number, case-insensitive labels', () => {
    const ascending = [
      '0.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1',
      '1.0.0', '1.0.0.1', '1.0.1-preview1', '1.0.1', '1.2', '12.0.3', '13.0.1', '13.0.1.1', '100.0.0',
    ];
    for (let i = 0; i < ascending.length; i++) {
      for (let j = i + 1; j < ascending.length; j++) {
        assert.equal(compareNuGet(ascending[i]!, ascending[j]!), -1, `${ascending[i]} < ${ascending[j]}`);
        assert.equal(compareNuGet(ascending[j]!, ascending[i]!), 1, `${ascending[j]} > ${ascending[i]}`);
      }
    }
    for (const [a, b] of [['1.0', '1.0.0.0'], ['1.0.0-Alpha', '1.0.0-alpha'], ['1.0.0+build.5', '1.0.0'], ['01.002.0', '1.2']]) {
      assert.equal(compareNuGet(a!, b!), 0, `${a} = ${b}`);
    }
    assert.equal(comparatorFor('NuGet'), compareNuGet);
  });
});
