let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a}from"./chunk-GFFFYR2J.js";import"./chunk-JBHMUAXP.js";export default a();
