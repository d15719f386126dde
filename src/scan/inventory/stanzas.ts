// dpkg's status is "stanzas of `key: value` lines separated by blank lines" (Alpine's
// installed database looks alike, but apk splits it by its own rule: apk.ts). It can be
// tens of megabytes, so the walk is a single pass with indexOf and no per-line regular
// expressions: linear in the input whatever its shape (a line without a colon never
// triggers a search past its end).

export interface StanzaReader {
  /** One non-blank line, as offsets into the text (`end` excludes the newline). */
  line(text: string, start: number, end: number): void;
  /** A blank line or the end of the text closes the current stanza. */
  end(): void;
}

export function readStanzas(text: string, reader: StanzaReader): void {
  let start = 0;
  let open = false;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    const next = end < 0 ? text.length + 1 : end + 1;
    if (end < 0) end = text.length;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    if (isBlank(text, start, end)) {
      if (open) reader.end();
      open = false;
    } else {
      reader.line(text, start, end);
      open = true;
    }
    start = next;
  }
  if (open) reader.end();
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** The value of a `Key: value` line when the line starts with `key` (including its colon). */
export function fieldValue(text: string, start: number, end: number, key: string): string | undefined {
  if (end - start < key.length || !text.startsWith(key, start)) return undefined;
  return text.slice(start + key.length, end).trim();
}
