// A Python zipapp (`python -m zipapp`, shiv, PEX: `.pyz`, `.pyzw`, `.pex`): the
// application and its dependencies in one zip that Python runs and imports from with
// zipimport, so their code runs. The documentation's recipe is `pip install --target
// app …` then `python -m zipapp app`, which leaves each dependency's
// `<name>.dist-info/METADATA` inside (PEX under `.deps/<wheel>/`), read as the file
// streams past. https://docs.python.org/3/library/zipapp.html
import { parseCoreMetadata, pythonAnalyzer } from './python.ts';
import { zipMembersAnalyzer } from './zip-stream.ts';

const ZIPAPP = /\.(pyz|pyzw|pex)$/;
const METADATA = /(^|\/)[^/]+\.(dist-info\/METADATA|egg-info\/PKG-INFO)$/;
const METADATA_CAP = 1024 * 1024;

export const pythonZipappAnalyzer = zipMembersAnalyzer({
  name: 'python-zipapp',
  matches: (path) => ZIPAPP.test(path),
  wants: (member) => (METADATA.test(member) ? METADATA_CAP : undefined),
  read: (data, shown) => parseCoreMetadata(data.toString('utf8'), shown),
  key: (pkg) => pythonAnalyzer.key(pkg),
});
