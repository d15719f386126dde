// .NET applications' dependency manifests: `<app>.deps.json`, written by the SDK next
// to every published app. Its `libraries` object is keyed `<Name>/<Version>`; entries
// of type "package" came from NuGet ("project" and "reference" entries are the app's
// own assemblies). A self-contained app carries the runtime itself, listed as type
// "runtimepack" under `runtimepack.<NuGet id>`: the runtime's advisories are filed
// under that id, and on a runtime-deps or distroless base it is the only place the
// runtime's version is written. https://github.com/dotnet/sdk/blob/main/documentation/specs/runtime-configuration-file.md
import type { Analysis, Analyzer, RawPackage } from './analyzer.ts';
import { displayPath } from './analyzer.ts';

export const dotnetDepsAnalyzer: Analyzer = {
  name: 'dotnet-deps',
  interest(path) {
    return path.endsWith('.deps.json') ? 'read' : undefined;
  },
  parse(path, data) {
    return parseDepsJson(data, displayPath(path));
  },
  key(pkg) {
    return pkg.name.toLowerCase();
  },
};

export function parseDepsJson(data: Buffer, shown: string): Analysis {
  let document: unknown;
  try {
    document = JSON.parse(data.toString('utf8'));
  } catch (err) {
    return { packages: [], notes: [`${shown}: not valid JSON (${(err as Error).message}); skipped.`] };
  }
  const libraries = isObject(document) ? document['libraries'] : undefined;
  if (!isObject(libraries)) return { packages: [], notes: [`${shown}: no "libraries" object; skipped.`] };
  const packages: RawPackage[] = [];
  for (const [key, library] of Object.entries(libraries)) {
    const type = isObject(library) ? library['type'] : undefined;
    if (type !== 'package' && type !== 'runtimepack') continue;
    const slash = key.lastIndexOf('/');
    if (slash <= 0 || slash === key.length - 1) continue;
    const name = type === 'runtimepack' ? key.slice(0, slash).replace(/^runtimepack\./, '') : key.slice(0, slash);
    packages.push({ type: 'nuget', name, version: key.slice(slash + 1) });
  }
  return { packages, notes: [] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
