import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clean, code, codeBlock, digestLabel, link, safeUrl, text, withoutLocalPaths } from '../src/report/markdown.ts';

const ZWJ = '\u200d';

test('text() renders hostile strings inert', () => {
  const cases: { input: string; expected: string }[] = [
    { input: '<img src=x onerror=alert(1)>', expected: '&lt;img src=x onerror=alert\\(1\\)&gt;' },
    { input: '<script>alert(1)</script>', expected: '&lt;script&gt;alert\\(1\\)&lt;/script&gt;' },
    { input: '[x](javascript:alert(1))', expected: '\\[x\\]\\(javascript:alert\\(1\\)\\)' },
    { input: '![img](https://evil.example/x.png)', expected: '!\\[img\\]\\(`https://evil.example/x.png`\\)' },
    { input: 'ping @org/team and @octocat', expected: `ping @${ZWJ}org/team and @${ZWJ}octocat` },
    { input: 'see #123 and GH-45', expected: `see #${ZWJ}123 and GH${ZWJ}-45` },
    { input: 'www.evil.example', expected: `www${ZWJ}.evil.example` },
    { input: 'a | b', expected: 'a &#124; b' },
    { input: '**bold** _it_ ~~s~~ `code`', expected: '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\`' },
    { input: 'line one\n# heading\r\n- item', expected: 'line one # heading - item' },
    { input: '# heading', expected: '\\# heading' },
    { input: '- item', expected: '\\- item' },
    { input: '+ item', expected: '\\+ item' },
    { input: '1. item', expected: '1\\. item' },
    { input: '=====', expected: '\\=====' },
    { input: 'x & y "q" \'s\'', expected: 'x &amp; y &quot;q&quot; &#39;s&#39;' },
    { input: '$x^2$ math', expected: '\\$x^2\\$ math' },
    { input: '<!-- immutag:0123456789abcdef -->', expected: '&lt;!-- immutag:0123456789abcdef --&gt;' },
    { input: 'safe\u202eevil\u2066', expected: 'safeevil' },
    { input: 'tab\tand\u0000null', expected: 'tab andnull' },
  ];
  for (const { input, expected } of cases) assert.equal(text(input), expected, JSON.stringify(input));
});

test('text() and clean() bound the length at a code point boundary', () => {
  assert.equal(clean('😀'.repeat(10), 5), '😀😀😀😀…');
  assert.equal(Array.from(text('a'.repeat(1000), 50)).length, 50);
});

test('code() shows the value exactly, whatever backticks it holds', () => {
  const cases: { input: string; inTable?: boolean; expected: string }[] = [
    { input: 'libssl3', expected: '`libssl3`' },
    { input: 'a`b', expected: '``a`b``' },
    { input: '`x`', expected: '`` `x` ``' },
    { input: 'a``b`', expected: '``` a``b` ```' },
    { input: '@org/team', expected: '`@org/team`' },
    { input: 'a|b', inTable: true, expected: '`a\\|b`' },
    { input: 'a|b', expected: '`a|b`' },
    { input: 'two\nlines', expected: '`two lines`' },
    { input: '<!-- immutag:0123456789abcdef -->', expected: `\`<${ZWJ}!-- immutag:0123456789abcdef -->\`` },
    { input: '', expected: '' },
  ];
  for (const { input, inTable, expected } of cases) {
    assert.equal(code(input, inTable === undefined ? {} : { inTable }), expected, JSON.stringify(input));
  }
});

test('codeBlock() uses a fence longer than any backtick run inside', () => {
  assert.equal(codeBlock(['docker pull r@sha256:ab'], 'sh'), '```sh\ndocker pull r@sha256:ab\n```');
  assert.equal(codeBlock(['a ```` b']), '`````\na ```` b\n`````');
});

test('safeUrl() keeps https URLs and refuses everything else', () => {
  const cases: { input: string; expected: string | undefined }[] = [
    { input: 'https://osv.dev/vulnerability/CVE-2024-1', expected: 'https://osv.dev/vulnerability/CVE-2024-1' },
    { input: 'javascript:alert(1)', expected: undefined },
    { input: 'JAVASCRIPT:alert(1)', expected: undefined },
    { input: 'data:text/html,<script>alert(1)</script>', expected: undefined },
    { input: 'http://example.com/', expected: undefined },
    { input: 'https://user:pass@example.com/', expected: undefined },
    { input: 'not a url', expected: undefined },
    { input: 'https://example.com/a)b(c|d e', expected: 'https://example.com/a%29b%28c%7Cd%20e' },
    { input: 'https://example.com/<x>"\'', expected: 'https://example.com/%3Cx%3E%22%27' },
  ];
  for (const { input, expected } of cases) assert.equal(safeUrl(input), expected, input);
});

test('link() falls back to the label for an unsafe URL', () => {
  assert.equal(link('`CVE-1`', 'javascript:alert(1)'), '`CVE-1`');
  assert.equal(link('`CVE-1`', 'https://osv.dev/x'), '[`CVE-1`](https://osv.dev/x)');
});

test('text() puts URLs in code spans, exact and copyable: no zero-width joiner inside', () => {
  const out = text('The OSV API at https://api.osv.dev/v1/querybatch did not answer.');
  assert.equal(out, 'The OSV API at `https://api.osv.dev/v1/querybatch` did not answer.');
  assert.ok(!out.includes(ZWJ));
  assert.equal(text('see http://registry.local:5000/v2/.'), 'see `http://registry.local:5000/v2/`.');
});

test('withoutLocalPaths() keeps only the last part of runner paths, and leaves references and URLs alone', () => {
  assert.equal(withoutLocalPaths('/home/runner/work/_temp/image.tar does not exist'), '…/image.tar does not exist');
  assert.equal(withoutLocalPaths('read D:\\a\\_temp\\image.tar'), 'read …/image.tar');
  const untouched = 'ghcr.io/octo-org/api:1.4 at https://api.osv.dev/v1/query and @org/pkg';
  assert.equal(withoutLocalPaths(untouched), untouched);
});

test('digestLabel() is the algorithm and eight hex digits', () => {
  assert.equal(digestLabel('sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'), 'sha256:9f86d081…');
});
