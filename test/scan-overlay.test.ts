// OCI whiteouts (image-spec layer.md): what each layer leaves of the tracked paths below it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Overlay } from '../src/scan/overlay.ts';

/** One layer: archive entries in order; `+path` writes a tracked file, `path/` is a directory, anything else an untracked entry. */
type Layer = string[];

function apply(layers: Layer[]): Record<string, string> {
  const overlay = new Overlay<string>();
  layers.forEach((entries, index) => {
    for (const raw of entries) {
      const tracked = raw.startsWith('+');
      const isDirectory = raw.endsWith('/');
      const path = raw.replace(/^\+/, '').replace(/\/$/, '');
      const whiteout = overlay.applyEntry(path, isDirectory);
      if (tracked && !whiteout) overlay.write(path, `L${index}`);
    }
    overlay.endLayer((_lower, upper) => upper);
  });
  return Object.fromEntries(overlay.entries());
}

describe('whiteouts', () => {
  const cases: Array<{ name: string; layers: Layer[]; expected: Record<string, string> }> = [
    {
      name: 'a .wh. file deletes the file below',
      layers: [['+lib/apk/db/installed', '+etc/os-release'], ['lib/apk/db/.wh.installed']],
      expected: { 'etc/os-release': 'L0' },
    },
    {
      name: 'a .wh. directory deletes everything below it',
      layers: [['+opt/app/node_modules/a/package.json', '+opt/app/node_modules/@s/b/package.json', '+opt/other/package.json'], ['opt/app/.wh.node_modules']],
      expected: { 'opt/other/package.json': 'L0' },
    },
    {
      name: 'an opaque directory hides the lower contents but keeps its own layer\'s',
      layers: [
        ['+var/lib/dpkg/status.d/libc6', '+var/lib/dpkg/status.d/openssl', '+var/lib/dpkg/status'],
        ['+var/lib/dpkg/status.d/base-files', 'var/lib/dpkg/status.d/.wh..wh..opq'],
      ],
      expected: { 'var/lib/dpkg/status': 'L0', 'var/lib/dpkg/status.d/base-files': 'L1' },
    },
    {
      name: 'a whiteout never hides an entry of its own layer, whatever the order',
      layers: [['+etc/os-release'], ['+etc/os-release', 'etc/.wh.os-release']],
      expected: { 'etc/os-release': 'L1' },
    },
    {
      name: 'a later layer can recreate what an earlier one deleted',
      layers: [['+lib/apk/db/installed'], ['lib/apk/db/.wh.installed'], ['+lib/apk/db/installed']],
      expected: { 'lib/apk/db/installed': 'L2' },
    },
    {
      name: 'a file replacing a directory hides the directory\'s contents',
      layers: [['+var/lib/rpm/rpmdb.sqlite'], ['var/lib/rpm']],
      expected: {},
    },
    {
      name: 'a directory replacing a tracked file hides the file',
      layers: [['+etc/os-release'], ['etc/os-release/']],
      expected: {},
    },
    {
      name: 'a directory entry over a directory changes nothing',
      layers: [['+var/lib/dpkg/status'], ['var/', 'var/lib/', 'var/lib/dpkg/']],
      expected: { 'var/lib/dpkg/status': 'L0' },
    },
    {
      name: 'an opaque marker at the root hides every lower path',
      layers: [['+etc/os-release', '+var/lib/dpkg/status'], ['.wh..wh..opq', '+usr/lib/os-release']],
      expected: { 'usr/lib/os-release': 'L1' },
    },
    {
      name: 'AUFS bookkeeping entries (.wh..wh.plnk) delete nothing',
      layers: [['+etc/os-release'], ['.wh..wh.plnk', 'etc/.wh..wh.aufs']],
      expected: { 'etc/os-release': 'L0' },
    },
    {
      name: 'whiting out a sibling with a common prefix leaves the other alone',
      layers: [['+a/node_modules/x/package.json', '+a/node_modules-old/x/package.json'], ['a/.wh.node_modules']],
      expected: { 'a/node_modules-old/x/package.json': 'L0' },
    },
  ];
  for (const { name, layers, expected } of cases) {
    it(name, () => {
      assert.deepEqual(apply(layers), expected);
    });
  }
});

describe('merging a layer', () => {
  it('hands the lower node to the merge function when a path is rewritten', () => {
    const overlay = new Overlay<{ layer: number; previous?: number }>();
    overlay.write('var/lib/dpkg/status', { layer: 0 });
    overlay.endLayer((_lower, upper) => upper);
    overlay.applyEntry('var/lib/dpkg/status', false);
    overlay.write('var/lib/dpkg/status', { layer: 1 });
    overlay.endLayer((lower, upper) => ({ ...upper, previous: lower?.layer }));
    assert.deepEqual(overlay.get('var/lib/dpkg/status'), { layer: 1, previous: 0 });
  });

  it('gives the merge function nothing when the lower file was deleted in between', () => {
    const overlay = new Overlay<{ layer: number; previous?: number }>();
    overlay.write('var/lib/dpkg/status', { layer: 0 });
    overlay.endLayer((_lower, upper) => upper);
    overlay.applyEntry('var/lib/dpkg/.wh.status', false);
    overlay.write('var/lib/dpkg/status', { layer: 1 });
    overlay.endLayer((lower, upper) => ({ ...upper, previous: lower?.layer }));
    assert.deepEqual(overlay.get('var/lib/dpkg/status'), { layer: 1, previous: undefined });
  });
});
