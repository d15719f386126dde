// Dockerfile `FROM [--platform=…] image [AS name]`, `COPY --from=image` and
// `RUN --mount=…,from=image`, read the way BuildKit's parser reads them: comments and
// parser directives, line continuations with the escape character (an empty line
// inside one is skipped), heredocs skipped. A FROM or from= that
// names an earlier stage (or a stage index) is not an image; `scratch` is not one
// either; an image built from an ARG is listed as skipped. The `# syntax=` directive
// names the BuildKit frontend every build pulls first: a reference like FROM's.
// https://docs.docker.com/reference/dockerfile/
import { ImmutagError } from '../../errors.ts';
import type { FoundReference } from '../model.ts';

const INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

interface Instruction {
  /** 1-based line of the instruction's first line. */
  line: number;
  /** The logical line (continuations joined) and each character's offset in the file. */
  chars: string;
  offsets: number[];
}

export function dockerfileReferences(path: string, text: string): FoundReference[] {
  const directives = parserDirectives(path, text);
  const out: FoundReference[] = directives.syntax ? [directives.syntax] : [];
  const all = instructions(text, directives.escapeChar);
  // COPY --from and RUN --mount from= may name any stage, a later one too (BuildKit
  // resolves them once every stage is known); FROM only an earlier one.
  const everyStage = stageNames(all);
  const stages = new Set<string>();
  for (const ins of all) {
    const words = split(ins);
    const keyword = words[0]!.text.toUpperCase();
    if (!INSTRUCTIONS.has(keyword)) {
      throw new ImmutagError('INVALID_INPUT', `${path}:${ins.line}: not a valid Dockerfile: unknown instruction "${words[0]!.text.slice(0, 40)}"`, {
        hint: 'Fix the Dockerfile (docker build reports the same error); pin changed no file.',
      });
    }
    if (keyword === 'FROM') {
      const args = fromArguments(words);
      // BuildKit expands FROM's image with its shell lexer, which removes quotes:
      // `FROM "nginx:1.25"` pulls nginx:1.25, and the pin is written inside the quotes.
      const image = args[0] === undefined ? undefined : unquoted(args[0]);
      if (image === undefined) {
        throw new ImmutagError('INVALID_INPUT', `${path}:${ins.line}: not a valid Dockerfile: FROM names no image`, {
          hint: 'Write FROM image:tag [AS name]; pin changed no file.',
        });
      }
      const own = stageName(args);
      if (own !== undefined) stages.add(own.toLowerCase());
      const ref = reference(path, ins, image, stages, own);
      const platform = words.find((w) => w.text.startsWith('--platform='))?.text.slice('--platform='.length);
      // A build argument ($BUILDPLATFORM, $TARGETPLATFORM) is decided at build time: no platform to hold the pin to.
      if (ref && platform && !platform.includes('$')) ref.platform = unquoted({ text: platform, start: 0 }).text.toLowerCase();
      if (ref) out.push(ref);
    }
    if (keyword === 'COPY') {
      for (const w of words.slice(1)) {
        if (!w.text.startsWith('--from=')) continue;
        const image = unquoted({ text: w.text.slice('--from='.length), start: w.start + '--from='.length });
        if (/^\d+$/.test(image.text)) continue;
        const ref = reference(path, ins, image, everyStage, undefined);
        if (ref) out.push(ref);
      }
    }
    if (keyword === 'RUN') {
      for (const source of mountSources(words)) {
        const ref = reference(path, ins, source.image, everyStage, undefined);
        if (ref && source.uneditable !== undefined && ref.skip === undefined) ref.uneditable = source.uneditable;
        if (ref) out.push(ref);
      }
    }
  }
  for (const f of out) f.column = f.span.start - (text.lastIndexOf('\n', f.span.start - 1) + 1) + 1;
  return out;
}

/** The names of every stage (FROM … AS name), lowercased as BuildKit compares them. */
function stageNames(all: readonly Instruction[]): Set<string> {
  const names = new Set<string>();
  for (const ins of all) {
    const words = split(ins);
    const own = words[0]?.text.toUpperCase() === 'FROM' ? stageName(fromArguments(words)) : undefined;
    if (own !== undefined) names.add(own.toLowerCase());
  }
  return names;
}

/** FROM's words after the keyword, its flags (--platform=…) left out. */
function fromArguments(words: readonly Word[]): Word[] {
  return words.slice(1).filter((w) => !w.text.startsWith('--'));
}

/** The stage a FROM names (`FROM image AS name`), as written. */
function stageName(args: readonly Word[]): string | undefined {
  return args[1]?.text.toUpperCase() === 'AS' ? args[2]?.text : undefined;
}

interface Directives {
  escapeChar: string;
  /** The frontend image of `# syntax=`, where it is written. */
  syntax?: FoundReference;
}

const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/**
 * The parser directives at the top of the file, read as BuildKit's two readers read
 * them (frontend/dockerfile/parser): `#name=value` lines from the first, the first line
 * that is not a known directive ending them (an unknown name included).
 *  - The build (parser.go) takes the escape character: each line with its leading
 *    whitespace trimmed, a `#!` line ending the directives, one of each name.
 *  - The frontend (`# syntax=`, DetectSyntax) is found past a leading `#!` line, on
 *    lines as written; a repeated name ends its reading, the first one kept. The image
 *    is the value up to its first space (the rest are the frontend's arguments).
 */
function parserDirectives(path: string, text: string): Directives {
  const lines = text.split('\n');
  const build = readDirectives(path, lines, { from: 0, trim: true, repeated: 'refuse' });
  const escapeChar = build.get('escape')?.value ?? '\\';
  if (escapeChar !== '\\' && escapeChar !== '`') {
    throw new ImmutagError('INVALID_INPUT', `${path}:${build.get('escape')!.line + 1}: not a valid Dockerfile: invalid escape character "${escapeChar}" (only \\ or \`)`, {
      hint: 'Fix the escape directive (docker build reports the same error); pin changed no file.',
    });
  }
  const shebang = /^(\uFEFF)?#!/.test(lines[0] ?? '');
  const syntax = readDirectives(path, lines, { from: shebang ? 1 : 0, trim: false, repeated: 'stop' }).get('syntax');
  if (syntax === undefined) return { escapeChar };
  const image = syntax.value.split(' ')[0]!;
  const start = syntax.valueStart;
  return { escapeChar, syntax: { file: path, line: syntax.line + 1, column: 1, kind: 'dockerfile', text: image, span: { start, end: start + image.length } } };
}

interface DirectiveLine {
  value: string;
  /** 0-based line, and the value's offset in the file. */
  line: number;
  valueStart: number;
}

interface DirectiveReading {
  from: number;
  /** Leading whitespace trimmed from each line first (the build's reading). */
  trim: boolean;
  /** A name given twice: refused, as docker build refuses it, or the end of the directives. */
  repeated: 'refuse' | 'stop';
}

function readDirectives(path: string, lines: readonly string[], reading: DirectiveReading): Map<string, DirectiveLine> {
  const found = new Map<string, DirectiveLine>();
  let offset = 0;
  for (let i = 0; i < reading.from; i++) offset += lines[i]!.length + 1;
  for (let i = reading.from; i < lines.length; i++) {
    const bom = i === 0 && lines[i]!.startsWith('\uFEFF') ? 1 : 0;
    const line = lines[i]!.replace(/\r$/, '').slice(bom);
    const raw = reading.trim ? line.trimStart() : line;
    const d = /^(#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*)(.+?)\s*$/.exec(raw);
    if (!d) break;
    const name = d[2]!.toLowerCase();
    if (!KNOWN_DIRECTIVES.has(name)) break;
    if (found.has(name) && reading.repeated === 'stop') break;
    if (found.has(name)) {
      throw new ImmutagError('INVALID_INPUT', `${path}:${i + 1}: not a valid Dockerfile: only one ${name} parser directive can be used`, {
        hint: 'Remove the second one (docker build reports the same error); pin changed no file.',
      });
    }
    const indent = line.length - raw.length;
    found.set(name, { value: d[3]!, line: i, valueStart: offset + bom + indent + d[1]!.length });
    offset += lines[i]!.length + 1;
  }
  return found;
}

interface Word {
  text: string;
  /** Index into the instruction's chars. */
  start: number;
}

function reference(path: string, ins: Instruction, word: Word, stages: Set<string>, ownStage: string | undefined): FoundReference | undefined {
  const lower = word.text.toLowerCase();
  if (lower === 'scratch') return undefined;
  // A stage's own name is added before this call; only an EARLIER stage makes it not an image.
  if (stages.has(lower) && lower !== ownStage?.toLowerCase()) return undefined;
  const start = ins.offsets[word.start]!;
  const end = ins.offsets[word.start + word.text.length - 1]! + 1;
  const line = ins.line + countLines(ins, word.start);
  const found: FoundReference = { file: path, line, column: 1, kind: 'dockerfile', text: word.text, span: { start, end } };
  if (word.text.includes('$')) found.skip = 'built from an ARG; pin the ARG default by hand or pass a pinned --build-arg';
  else if (end - start !== word.text.length) found.uneditable = 'split over continued lines';
  return found;
}

interface MountSource {
  image: Word;
  /** Why the image's text is not the field's as written, so the pin cannot be spliced in. */
  uneditable?: string;
}

/**
 * The `from=` of each `RUN --mount=type=…,from=…` (the flags before the command): an image,
 * an earlier stage or a stage index, as in COPY --from. BuildKit reads the value as a CSV
 * record and lowercases each key (commands_runmount.go parseMount), so `From=x` and the
 * quoted field `"from=x"` name an image too.
 */
function mountSources(words: Word[]): MountSource[] {
  const out: MountSource[] = [];
  for (const w of words.slice(1)) {
    if (!w.text.startsWith('--')) break;
    if (!w.text.startsWith('--mount=')) continue;
    const mount = unquoted({ text: w.text.slice('--mount='.length), start: w.start + '--mount='.length });
    for (const field of csvFields(mount)) {
      const source = mountSource(field);
      if (source !== undefined) out.push(source);
    }
  }
  return out;
}

/** A `from=` field's image (any case of the key), unless it is a stage index. */
function mountSource(field: CsvField): MountSource | undefined {
  const eq = field.text.indexOf('=');
  if (eq === -1 || field.text.slice(0, eq).toLowerCase() !== 'from') return undefined;
  const image = { text: field.text.slice(eq + 1), start: field.start + eq + 1 };
  if (/^\d+$/.test(image.text)) return undefined;
  // BuildKit removes ' and " anywhere in a flag word before it reads the CSV
  // (from='nginx:1.25' mounts nginx:1.25): read so, and left for a person to pin.
  if (/['"]/.test(image.text)) return { image: { ...image, text: image.text.replace(/['"]/g, '') }, uneditable: 'quotes inside a --mount field' };
  if (field.exact) return { image };
  return { image, uneditable: 'a quoted --mount field with doubled quotes' };
}

interface CsvField {
  /** The field's value, quotes removed. */
  text: string;
  /** Where the value starts (inside an opening quote). */
  start: number;
  /** Whether the value is the written text from `start` on (no `""` inside, nothing after the quote). */
  exact: boolean;
}

/** A record's fields as Go's encoding/csv reads them: split at commas, a field that starts with `"` quoted up to its closing quote. */
function csvFields(record: Word): CsvField[] {
  const fields: CsvField[] = [];
  const text = record.text;
  let at = 0;
  while (at <= text.length) {
    const field = text[at] === '"' ? quotedField(text, at) : plainField(text, at);
    fields.push({ ...field.value, start: record.start + field.value.start });
    at = field.next;
  }
  return fields;
}

function plainField(text: string, at: number): { value: CsvField; next: number } {
  const comma = text.indexOf(',', at);
  const end = comma === -1 ? text.length : comma;
  return { value: { text: text.slice(at, end), start: at, exact: true }, next: end + 1 };
}

/** A field opened by `"`: `""` inside is one quote; the field ends at the comma after the closing quote. */
function quotedField(text: string, at: number): { value: CsvField; next: number } {
  let value = '';
  let exact = true;
  let i = at + 1;
  while (i < text.length) {
    if (text[i] === '"' && text[i + 1] === '"') {
      value += '"';
      exact = false;
      i += 2;
    } else if (text[i] === '"') {
      break;
    } else {
      value += text[i];
      i++;
    }
  }
  const comma = text.indexOf(',', i);
  const end = comma === -1 ? text.length : comma;
  // No closing quote (docker build refuses it), or text between it and the comma: the
  // value is not the written text.
  if (i >= text.length || end > i + 1) exact = false;
  return { value: { text: value, start: at + 1, exact }, next: end + 1 };
}

function countLines(ins: Instruction, upTo: number): number {
  let n = 0;
  for (let i = 1; i <= upTo; i++) if (ins.offsets[i]! - ins.offsets[i - 1]! > 1) n++;
  return n;
}

function split(ins: Instruction): Word[] {
  const words: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(ins.chars); m !== null; m = re.exec(ins.chars)) words.push({ text: m[0], start: m.index });
  return words;
}

/** Logical instructions: comments (directives too) and blank lines dropped, continuations joined, heredoc bodies skipped. */
function instructions(text: string, escapeChar: string): Instruction[] {
  const lines = text.split('\n');
  let offset = 0;
  const out: Instruction[] = [];
  let current: Instruction | undefined;
  let heredoc: { word: string; strip: boolean } | undefined;
  const heredocs: { word: string; strip: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const lineStart = offset;
    offset += lines[i]!.length + 1;
    if (heredoc !== undefined) {
      const body = heredoc.strip ? raw.replace(/^\t+/, '') : raw;
      if (body === heredoc.word) heredoc = heredocs.shift();
      continue;
    }
    const trimmed = raw.trimStart();
    // Inside a continuation too: BuildKit skips an empty line there rather than ending the instruction.
    if (trimmed.startsWith('#') || trimmed === '') continue;
    if (current === undefined) current = { line: i + 1, chars: '', offsets: [] };
    const lead = raw.length - trimmed.length;
    const continued = raw.trimEnd().endsWith(escapeChar);
    const content = continued ? raw.trimEnd().slice(0, -escapeChar.length) : raw;
    for (let c = current.chars === '' ? lead : 0; c < content.length; c++) {
      current.chars += content[c];
      current.offsets.push(lineStart + c);
    }
    if (continued) continue;
    if (current.chars.trim() !== '') {
      out.push(current);
      // BuildKit opens heredocs after ONBUILD too (parser.go: heredocCompoundDirectives).
      if (/^(ONBUILD\s+)?(RUN|COPY|ADD)\s/i.test(current.chars)) heredocs.push(...heredocsOpened(current.chars));
      heredoc = heredocs.shift();
    }
    current = undefined;
  }
  if (current !== undefined && current.chars.trim() !== '') out.push(current);
  return out;
}

// As BuildKit reads them: a heredoc is a word of its own that starts with << (after an
// optional file descriptor: 3<<EOF), not a shift ($((1<<x))) and not a here-string
// (<<<word). Taking either for one would hide every instruction up to a line that
// happens to equal its "word", FROM lines included.
const HEREDOC_WORD = /^\d*<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2$/;

function heredocsOpened(instruction: string): { strip: boolean; word: string }[] {
  const opened: { strip: boolean; word: string }[] = [];
  for (const word of shellWords(instruction)) {
    const m = HEREDOC_WORD.exec(word);
    if (m) opened.push({ strip: m[1] === '-', word: m[3]! });
  }
  return opened;
}

/** A word without its quotes, as BuildKit takes it: FROM "x", --from="x", --mount="type=bind,from=x". */
function unquoted(value: Word): Word {
  const quote = /^(["'])(.*)\1$/.exec(value.text);
  return quote ? { text: quote[2]!, start: value.start + 1 } : value;
}

/**
 * An instruction's words as BuildKit's lexer splits them to look for heredocs: at
 * whitespace outside quotes, quotes and escapes kept as written, the escape always `\`
 * (its heredoc lexer ignores the escape directive). `'cat <<EOF'` is one word, so a quoted
 * `<<EOF` opens nothing; split at every space, it hid every later line up to one reading
 * EOF, FROM lines included.
 */
function shellWords(text: string): string[] {
  const escapeChar = '\\';
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === undefined && /\s/.test(c)) {
      if (word !== '') words.push(word);
      word = '';
      continue;
    }
    word += c;
    if (c === escapeChar && quote !== "'" && i + 1 < text.length) {
      word += text[++i];
    } else if (quote === undefined && (c === '"' || c === "'")) {
      quote = c;
    } else if (c === quote) {
      quote = undefined;
    }
  }
  if (word !== '') words.push(word);
  return words;
}
