// Packagist version order: PHP's version_compare() (ext/standard/versioning.c), on
// versions with Composer's leading `v` dropped (`v5.4.30` and `5.4.30` are one release,
// as osv.dev and osv-scanner treat them). version_compare canonicalises `-`, `_` and
// `+` to `.` and puts a `.` between digits and letters, then compares part by part:
// numbers numerically, other parts by the first special form each starts with:
// any other string < dev < alpha = a < beta = b < RC = rc < (a number) < pl = p.

const FORMS: Array<[string, number]> = [['dev', 0], ['alpha', 1], ['a', 1], ['beta', 2], ['b', 2], ['RC', 3], ['rc', 3], ['#', 4], ['pl', 5], ['p', 5]];
const NUMBER = '#N#';

export function canonicalPhpVersion(version: string): string {
  const text = version.trim().replace(/^[vV](?=\d)/, '');
  if (text === '') return '';
  let out = text[0]!;
  let previous = text[0]!;
  const dot = (): void => {
    if (!out.endsWith('.')) out += '.';
  };
  for (const c of text.slice(1)) {
    if (c === '-' || c === '_' || c === '+') {
      dot();
    } else if ((isNonDigit(previous) && isDigit(c)) || (isDigit(previous) && isNonDigit(c))) {
      dot();
      out += c;
    } else if (!/[0-9a-z]/i.test(c)) {
      dot();
    } else {
      out += c;
    }
    previous = c;
  }
  return out;
}

const isNonDigit = (c: string): boolean => !isDigit(c) && c !== '.';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function formOrder(part: string): number {
  for (const [name, order] of FORMS) if (part.startsWith(name)) return order;
  return -6;
}

function compareForms(a: string, b: string): number {
  return Math.sign(formOrder(a) - formOrder(b));
}

function compareNumbers(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function comparePart(a: string, b: string): number {
  const da = a !== '' && isDigit(a[0]!);
  const db = b !== '' && isDigit(b[0]!);
  if (da && db) return compareNumbers(a, b);
  if (!da && !db) return compareForms(a, b);
  return da ? compareForms(NUMBER, b) : compareForms(a, NUMBER);
}

/** Negative, zero or positive as version_compare orders `a` before, equal to or after `b`. */
export function comparePackagist(a: string, b: string): number {
  const left = canonicalPhpVersion(a).split('.');
  const right = canonicalPhpVersion(b).split('.');
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const result = comparePart(left[i]!, right[i]!);
    if (result !== 0) return result;
  }
  if (left.length > n) return isDigit(left[n]![0] ?? '') ? 1 : comparePart(left[n]!, NUMBER);
  if (right.length > n) return isDigit(right[n]![0] ?? '') ? -1 : comparePart(NUMBER, right[n]!);
  return 0;
}
