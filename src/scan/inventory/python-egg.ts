// A zipped Python egg (`site-packages/<name>-<version>-pyX.Y.egg`, a file): what
// easy_install and `setup.py install` put on sys.path, imported with zipimport, so
// its code runs. Its metadata is `EGG-INFO/PKG-INFO` inside the zip, read as the file
// streams past (an unzipped egg, a directory, is python.ts's).
import { parseCoreMetadata, pythonAnalyzer } from './python.ts';
import { zipMembersAnalyzer } from './zip-stream.ts';

const EGG = /\.egg$/;
const METADATA = 'EGG-INFO/PKG-INFO';
const METADATA_CAP = 1024 * 1024;

export const pythonEggAnalyzer = zipMembersAnalyzer({
  name: 'python-egg',
  matches: (path) => EGG.test(path),
  wants: (member) => (member === METADATA ? METADATA_CAP : undefined),
  read: (data, shown) => parseCoreMetadata(data.toString('utf8'), shown),
  key: (pkg) => pythonAnalyzer.key(pkg),
});
