// The encodings a deploy file is read in and written back in. UTF-16 is taken only
// from a BOM: that is how kubectl (go-yaml, cli-runtime) tells it apart, and Windows
// PowerShell 5's `>` and `Out-File` write one; without a BOM its NUL bytes look like
// any binary file's. The BOM stays in the decoded text, so encoding the text again
// gives the file's own bytes, BOM included.

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export function encodingOf(bytes: Buffer): TextEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** Throws a TypeError on bytes that are not valid in `encoding` (a lone surrogate, an odd byte, invalid UTF-8). */
export function decodeText(bytes: Buffer, encoding: TextEncoding): string {
  return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
}

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  return encoding === 'utf-16le' ? le : le.swap16();
}

/** The number of bytes `text` takes in `encoding`, without encoding it. */
export function encodedLength(text: string, encoding: TextEncoding): number {
  return encoding === 'utf-8' ? Buffer.byteLength(text, 'utf8') : 2 * text.length;
}
