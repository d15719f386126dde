// What a person reads when the scan refuses a layer or document: the explanation stays in
// the log's last line however long a hostile name is, outside strings are quoted and
// escaped, and no message blames a package database the image does not have.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImmutagError } from '../src/errors.ts';
import { type Descriptor, MediaType } from '../src/oci.ts';
import { CONFIG_FIELDS, parseOciJson } from '../src/oci-json.ts';
import { finalLine } from '../src/report/final-line.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildTar, compress, ustarHeader, type TarMember } from './support/layer-tar.ts';
import { errorReport } from './support/sample-report.ts';

async function inventory(layers: TarMember[][], raw: Buffer[] = [], configType: string = MediaType.ociConfig, rawType: string = MediaType.ociLayerGzip) {
  const source = new MemoryBlobSource();
  const ds: Descriptor[] = [];
  for (const m of layers) ds.push(source.add(compress(await buildTar(m), 'gzip'), MediaType.ociLayerGzip));
  for (const r of raw) ds.push(source.add(rawType === MediaType.ociLayerGzip ? compress(r, 'gzip') : r, rawType));
  const config = source.add(Buffer.from('{}'), configType);
  return inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: ds });
}

async function refusal(p: Promise<unknown>): Promise<ImmutagError> {
  try { await p; } catch (err) { if (err instanceof ImmutagError) return err; throw err; }
  assert.fail('not refused');
}

/** The log's last line for a run that failed with `err`. */
function lastLine(err: ImmutagError): string {
  const report = errorReport();
  report.problems = [{ level: 'error', code: err.code, message: err.message, hint: err.hint }];
  return finalLine(report);
}

function fixChecksum(block: Buffer): Buffer {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

test('a 4,000-byte name does not push "a symlink the same layer made" out of the last line', async () => {
  const dir = `tmp/${'d'.repeat(4000)}`;
  const err = await refusal(inventory([[{ name: dir, type: 'symlink', linkname: '/var/lib/dpkg' }, { name: `${dir}/status`, content: 'x' }]]));
  assert.match(lastLine(err), /a symlink the same layer made/);
});

test('a path that is not UTF-8 is shown as an escape, quoted, not as a lone surrogate', async () => {
  const name = Buffer.concat([Buffer.from('tmp/'), Buffer.from([0xff]), Buffer.from('/l')]);
  const link = fixChecksum(ustarHeader('', 0));
  name.copy(link, 0); link.write('2', 156, 'latin1'); link.write('/var/lib/dpkg', 157, 'latin1'); fixChecksum(link);
  const file = fixChecksum(ustarHeader('', 1));
  Buffer.concat([name, Buffer.from('/status')]).copy(file, 0); fixChecksum(file);
  const tar = Buffer.concat([link, file, Buffer.from('x'), Buffer.alloc(511), Buffer.alloc(1024)]);
  const err = await refusal(inventory([], [tar]));
  assert.doesNotMatch(err.message, /[\udc00-\udfff]/, err.message);
});

test('a repeated key is quoted and bounded', () => {
  const key = 'k'.repeat(100_000);
  assert.throws(() => parseOciJson(`{"config":{"Labels":{"${key}":"a","${key}":"b"}}}`, CONFIG_FIELDS), (err: Error) => err.message.length < 600);
});

test('an image with no config media type says so, not "(config )"', async () => {
  const err = await refusal(inventory([], [Buffer.from('x')], '', 'application/octet-stream'));
  assert.match(err.message, /\(no config media type\)/);
  assert.doesNotMatch(err.message, /\(config \)/, err.message);
});

test('a merged-usr /lib link and a later layer writing below it do not stop the scan of a Debian image over a package database it does not have', async () => {
  const inv = await inventory([
    [{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' }, { name: 'var/lib/dpkg/status', content: 'Package: a\nStatus: install ok installed\nVersion: 1\n\n' },
      { name: 'usr/lib', type: 'directory' }, { name: 'lib', type: 'symlink', linkname: 'usr/lib' }],
    [{ name: 'lib/x86_64-linux-gnu/libfoo.so.1', content: 'x' }],
  ]);
  assert.deepEqual(inv.unread.map((u) => u.reason), []);
});

test('outside text in a message is quoted, cut with an ellipsis, and its invisible characters escaped', async () => {
  const { quoted } = await import('../src/quoted.ts');
  assert.equal(quoted('a\u202eb\udcffc"d'), '"a\\u202eb\\udcffc\\"d"');
  assert.equal(quoted('x'.repeat(200)), `"${'x'.repeat(79)}…"`);
  assert.equal(quoted('/var/lib/dpkg'), '"/var/lib/dpkg"');
});
