const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a}from"./chunk-KX36D6AK.js";import"./chunk-XHV7XE2Y.js";export default a();
