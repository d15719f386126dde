// The tar index finds every member's bytes in place, for archives written by GNU tar
// in each of its formats (long names as GNU 'L' records, pax 'x' headers, ustar
// prefixes) and for hand-made headers covering what tar rarely writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { link, mkdir, open, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImmutagError } from '../src/errors.ts';
import { checkMemberName } from '../src/image/files.ts';
import { indexTar, normalizeMemberName, resolveMember, type TarEntry } from '../src/image/tar-index.ts';
import { run } from './support/exec.ts';
import { tempDir } from './support/image-factory.ts';

let work: Awaited<ReturnType<typeof tempDir>>;
const longDir = `d1/${'a'.repeat(60)}/${'b'.repeat(60)}`;
const files: Record<string, string> = {
  'short.txt': 'short\n',
  [`${longDir}/file-${'c'.repeat(40)}.txt`]: 'fits ustar with a prefix\n',
  [`${longDir}/${'e'.repeat(90)}/${'f'.repeat(90)}.txt`]: 'needs a GNU long name or a pax path\n',
  'ünïcødé.txt': 'utf-8 name\n',
  'empty.txt': '',
};

before(async () => {
  work = await tempDir('tar-index');
});
after(() => work.cleanup());

async function makeTree(dir: string, names: string[]): Promise<void> {
  for (const name of names) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), files[name]!);
  }
  await symlink('short.txt', join(dir, 'sym'));
  await symlink('../short.txt', join(dir, 'd1', 'up'));
  await symlink('../../../etc/passwd', join(dir, 'escape'));
  await link(join(dir, 'short.txt'), join(dir, 'hard'));
}

async function indexFile(file: string): Promise<Map<string, TarEntry>> {
  const fh = await open(file, 'r');
  try {
    return await indexTar(fh, (await fh.stat()).size, file);
  } finally {
    await fh.close();
  }
}

async function memberText(file: string, entries: Map<string, TarEntry>, name: string): Promise<string | undefined> {
  const member = resolveMember(entries, name);
  if (member === undefined) return undefined;
  const bytes = await readFile(file);
  return bytes.subarray(member.offset, member.offset + member.size).toString('utf8');
}

test('members of archives in GNU, pax and ustar format are found at their offsets, links followed', async (t) => {
  const formats: Array<['gnu' | 'pax' | 'ustar', string[]]> = [
    ['gnu', Object.keys(files)],
    ['pax', Object.keys(files)],
    // ustar cannot hold a name longer than prefix (155) + name (100), nor non-ASCII reliably.
    ['ustar', Object.keys(files).filter((n) => n.length < 200 && /^[\x20-\x7e]+$/.test(n))],
  ];
  for (const [format, names] of formats) {
    await t.test(format, async () => {
      const dir = join(work.dir, format);
      await makeTree(dir, names);
      const file = join(work.dir, `${format}.tar`);
      await run('tar', [`--format=${format}`, '-C', dir, '-cf', file, '.']);
      const entries = await indexFile(file);
      for (const name of names) assert.equal(await memberText(file, entries, name), files[name], name);
      assert.equal(await memberText(file, entries, 'sym'), files['short.txt']);
      assert.equal(await memberText(file, entries, 'd1/up'), files['short.txt']);
      assert.equal(await memberText(file, entries, 'hard'), files['short.txt']);
      assert.equal(await memberText(file, entries, 'escape'), undefined, 'a link out of the archive leads nowhere');
      assert.equal(await memberText(file, entries, 'd1'), undefined, 'a directory is not a file');
    });
  }
});

test('a member appended later replaces the earlier one, as extraction would', async () => {
  const dir = join(work.dir, 'append');
  await mkdir(dir);
  await writeFile(join(dir, 'index.json'), 'first');
  const file = join(work.dir, 'append.tar');
  await run('tar', ['-C', dir, '-cf', file, 'index.json']);
  await writeFile(join(dir, 'index.json'), 'second, longer');
  await run('tar', ['-C', dir, '-rf', file, 'index.json']);
  assert.equal(await memberText(file, await indexFile(file), 'index.json'), 'second, longer');
});

/** One 512-byte header with a correct checksum. */
function header(name: string, size: number, options: { type?: string; base256?: boolean; linkname?: string } = {}): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  if (options.base256) {
    h[124] = 0x80;
    h.writeUIntBE(size, 136 - 6, 6);
  } else {
    h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  }
  h.write(options.type ?? '0', 156, 'latin1');
  if (options.linkname) h.write(options.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

function data(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return `${length}${body}`;
}

const END = Buffer.alloc(1024);

test('hand-made headers: base-256 sizes, pax size and path overrides, global pax headers', async () => {
  const pax = paxRecord('path', 'blobs/sha256/from-pax') + paxRecord('size', '5');
  const global = paxRecord('comment', 'written by hand');
  const archive = Buffer.concat([
    header('pax_global_header', Buffer.byteLength(global), { type: 'g' }), data(global),
    header('big', 7, { base256: true }), data('base256'),
    header('PaxHeaders/x', Buffer.byteLength(pax), { type: 'x' }), data(pax),
    header('ignored-name', 999), data('hello'),
    header('after', 3), data('end'),
    END,
  ]);
  const file = join(work.dir, 'hand.tar');
  await writeFile(file, archive);
  const entries = await indexFile(file);
  assert.equal(await memberText(file, entries, 'big'), 'base256');
  assert.equal(await memberText(file, entries, 'blobs/sha256/from-pax'), 'hello');
  assert.equal(entries.has('ignored-name'), false);
  assert.equal(await memberText(file, entries, 'after'), 'end', 'the pax size moved the walk to the right next header');
});

test('malformed archives are refused with IMAGE_INVALID', async (t) => {
  const corrupt = header('a', 3);
  corrupt[0] = 0x62; // checksum no longer matches
  const cases: Array<[string, Buffer, RegExp]> = [
    ['a bad header checksum', Buffer.concat([corrupt, data('abc'), END]), /bad checksum/],
    ['a size beyond the end of the file', Buffer.concat([header('a', 100_000), data('abc'), END]), /truncated/],
    ['no end-of-archive marker', Buffer.concat([header('a', 3), data('abc')]), /truncated/],
    ['a negative base-256 size', (() => { const h = header('a', 3, { base256: true }); h[124] = 0xff; return fixSum(h); })(), /negative size/],
    ['a size field that is not octal', (() => { const h = header('a', 3); h.write('00000000x03\0', 124, 'latin1'); return fixSum(h); })(), /not a number/],
    ['a malformed pax record', Buffer.concat([header('x', 8, { type: 'x' }), data('99 path='), header('a', 0), END]), /pax/],
  ];
  for (const [name, bytes, pattern] of cases) {
    await t.test(name, async () => {
      const file = join(work.dir, `bad-${name.replace(/\W+/g, '-')}.tar`);
      await writeFile(file, bytes);
      await assert.rejects(indexFile(file), (e: ImmutagError) => e.code === 'IMAGE_INVALID' && pattern.test(e.message));
    });
  }
});

function fixSum(h: Buffer): Buffer {
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return Buffer.concat([h, END]);
}

test('member names: equivalent spellings normalize to one; names that leave the image are refused', () => {
  const normal: Array<[string, string]> = [
    ['./blobs//sha256/x', 'blobs/sha256/x'],
    ['/index.json', 'index.json'],
    ['blobs/', 'blobs'],
    ['a/./b/../c', 'a/c'],
  ];
  for (const [raw, want] of normal) assert.equal(normalizeMemberName(raw), want, raw);
  assert.equal(checkMemberName('./blobs/sha256/ab', 'x'), 'blobs/sha256/ab');
  for (const hostile of ['../x', 'a/../../b', '/etc/passwd', 'a\\..\\b', '', 'a\0b']) {
    assert.throws(() => checkMemberName(hostile, 'image.tar'), (e: ImmutagError) => e.code === 'IMAGE_INVALID', hostile);
  }
});
