// Maven version order, as Maven 3.9's ComparableVersion implements it and
// https://maven.apache.org/pom.html#Version_Order_Specification describes it: a version
// is a list of numbers and qualifiers; `-` (and a switch between digits and letters)
// opens a sub-list, `.` separates items of the same list; trailing zeros, empty
// qualifiers and release aliases (`ga`, `final`, `release`) drop off; qualifiers order
// alpha < beta < milestone < rc (= cr) < snapshot < "" (release) < sp < anything else
// (lexically); `a1`/`b1`/`m1` are alpha/beta/milestone when a digit follows.

type Item = { kind: 'int'; value: string } | { kind: 'string'; value: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function intItem(text: string): Item {
  return { kind: 'int', value: text.replace(/^0+(?=\d)/, '') };
}

function stringItem(text: string, followedByDigit: boolean): Item {
  let value = text;
  if (followedByDigit && value.length === 1) value = { a: 'alpha', b: 'beta', m: 'milestone' }[value] ?? value;
  return { kind: 'string', value: ALIASES[value] ?? value };
}

function parseItem(isDigit: boolean, text: string): Item {
  return isDigit ? intItem(text) : stringItem(text, false);
}

const isDigitChar = (c: string): boolean => c >= '0' && c <= '9';

export function parseMaven(version: string): Item {
  const text = version.trim().toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root;
  const stack = [root];
  const open = (): void => {
    const next: Item & { kind: 'list' } = { kind: 'list', items: [] };
    list.items.push(next);
    list = next;
    stack.push(next);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '.' || c === '-') {
      list.items.push(i === start ? intItem('0') : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === '-') open();
    } else if (isDigitChar(c)) {
      if (!isDigit && i > start) {
        // `1.0.0.X1 < 1.0.0-X2`: a qualifier after `.` reads as one after `-`.
        if (list.items.length > 0) open();
        list.items.push(stringItem(text.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, text.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    if (!isDigit && list.items.length > 0) open();
    list.items.push(parseItem(isDigit, text.slice(start)));
  }
  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === '0';
  if (item.kind === 'string') return item.value === '';
  return item.items.length === 0;
}

/** Drops trailing null items (0, "", empty lists), looking past sub-lists as Maven does. */
function normalize(list: Item & { kind: 'list' }): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

function qualifierRank(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index < 0 ? `${QUALIFIERS.length}-${value}` : String(index);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareInts(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return compareStrings(a, b);
}

/** ComparableVersion's Item.compareTo, `b` undefined standing for Java's null. */
function compareItem(a: Item, b: Item | undefined): number {
  switch (a.kind) {
    case 'int':
      if (!b) return a.value === '0' ? 0 : 1;
      return b.kind === 'int' ? compareInts(a.value, b.value) : 1;
    case 'string':
      if (!b) return compareStrings(qualifierRank(a.value), RELEASE_INDEX);
      if (b.kind === 'int' || b.kind === 'list') return -1;
      return compareStrings(qualifierRank(a.value), qualifierRank(b.value));
    case 'list':
      if (!b) {
        for (const item of a.items) {
          const result = compareItem(item, undefined);
          if (result !== 0) return result;
        }
        return 0;
      }
      if (b.kind === 'int') return -1;
      if (b.kind === 'string') return 1;
      for (let i = 0; i < Math.max(a.items.length, b.items.length); i++) {
        const left = a.items[i];
        const right = b.items[i];
        const result = left === undefined ? (right === undefined ? 0 : -compareItem(right, undefined)) : compareItem(left, right);
        if (result !== 0) return result;
      }
      return 0;
  }
}

/** Negative, zero or positive as Maven orders `a` before, equal to or after `b`. */
export function compareMaven(a: string, b: string): number {
  return Math.sign(compareItem(parseMaven(a), parseMaven(b)));
}
