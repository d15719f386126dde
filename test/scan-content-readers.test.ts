// Content readers see arbitrary bytes from images: whatever they are fed (cut short,
// corrupted, in any chunking) they return a result or nothing and never throw.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { cargoAuditableAnalyzer } from '../src/scan/inventory/cargo-auditable.ts';
import { goBinaryAnalyzer } from '../src/scan/inventory/go-binary.ts';
import { javaArchiveAnalyzer } from '../src/scan/inventory/java-archive.ts';

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLES: Array<[string, Buffer]> = [
  ['usr/bin/true', readFileSync('/usr/bin/true')],
  ['app.jar', readFileSync('/usr/share/java/slf4j-api.jar')],
];
const READERS = [goBinaryAnalyzer, cargoAuditableAnalyzer, javaArchiveAnalyzer];

test('truncated and corrupted executables and archives never make a reader throw (about 250 cases)', () => {
  const next = random(11);
  let cases = 0;
  for (let i = 0; i < 50; i++) {
    for (const [path, original] of SAMPLES) {
      const bytes = Buffer.from(original.subarray(0, Math.floor(next() * original.length)));
      // Flip a few bytes, headers included, where offsets and sizes live.
      for (let k = 0; k < 8; k++) bytes[Math.floor(next() * Math.min(bytes.length, 4096))] = Math.floor(next() * 256);
      const chunk = 1 + Math.floor(next() * 70000);
      for (const analyzer of READERS) {
        const reader = analyzer.stream!(path, bytes.length);
        if (!reader) continue;
        assert.doesNotThrow(() => {
          for (let at = 0; at < bytes.length; at += chunk) if (!reader.write(bytes.subarray(at, at + chunk))) break;
          reader.end();
          reader.result();
        }, `${analyzer.name} on ${path} cut at ${bytes.length}, chunks of ${chunk}`);
        cases++;
      }
    }
  }
  assert.ok(cases >= 200, `${cases} cases`);
});
