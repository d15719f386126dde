// Installed Ruby gems: the `specifications/<name>-<version>.gemspec` files RubyGems
// writes for every installed gem (and `specifications/default/` for the gems Ruby ships),
// wherever a GEM_HOME lies (/usr/local/lib/ruby/gems/3.x, /var/lib/gems/3.x, Debian's
// /usr/share/rubygems-integration, bundler's vendor/bundle/ruby/3.x). They are Ruby code
// RubyGems generates (Gem::Specification#to_ruby); only the `s.name = …` and
// `s.version = …` lines are read, never evaluated.
import type { Analysis, Analyzer, RawPackage } from './analyzer.ts';
import { displayPath } from './analyzer.ts';

const SPECIFICATION = /(^|\/)specifications\/(default\/)?[^/]+\.gemspec$/;

export const gemspecAnalyzer: Analyzer = {
  name: 'gemspec',
  interest(path) {
    return SPECIFICATION.test(path) ? 'read' : undefined;
  },
  parse(path, data) {
    return parseGemspec(data.toString('utf8'), displayPath(path));
  },
  key(pkg) {
    return pkg.name;
  },
};

/** `"rack".freeze`, `'rack'`, `%q{rack}` (older RubyGems), `Gem::Version.new("1.0")`. */
const STRING = String.raw`(?:Gem::Version\.new\(\s*)?(?:"([^"]*)"|'([^']*)'|%q\{([^}]*)\})`;
const FIELD = (field: string): RegExp => new RegExp(String.raw`^\s*\w+\.${field}\s*=\s*${STRING}`, 'm');
const NAME = FIELD('name');
const VERSION = FIELD('version');
const LICENSES = /^\s*\w+\.licenses\s*=\s*\[([^\]]*)\]/m;

export function parseGemspec(text: string, shown: string): Analysis {
  const name = valueOf(NAME.exec(text));
  const version = valueOf(VERSION.exec(text));
  if (!name || !version) return { packages: [], notes: [`${shown}: no name or version in the gem specification; skipped.`] };
  const pkg: RawPackage = { type: 'gem', name, version };
  const licenses = LICENSES.exec(text)?.[1]?.match(/"([^"]+)"|'([^']+)'/g)?.map((s) => s.slice(1, -1));
  if (licenses && licenses.length > 0) pkg.licenses = licenses;
  return { packages: [pkg], notes: [] };
}

function valueOf(match: RegExpExecArray | null): string | undefined {
  return match ? match[1] ?? match[2] ?? match[3] : undefined;
}
