// Text from outside (a name in a layer, a key in a document, a media type) as it goes
// into a message: quoted, so where it ends is plain; cut, so a 4 KiB name cannot push
// the explanation out of a log line; and with invisible or reordering characters
// (controls, bidi overrides, zero-width marks, lone surrogates) shown as escapes.

const INVISIBLE = /[\u0080-\u009f\u00ad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function quoted(value: string, max = 80): string {
  const points = Array.from(value);
  const cut = points.length > max ? `${points.slice(0, max - 1).join('')}…` : value;
  // JSON.stringify escapes quotes, backslashes, C0 controls and lone surrogates.
  return JSON.stringify(cut).replace(INVISIBLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
