const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a}from"./chunk-GZ6OANHB.js";import"./chunk-2PHAKL2Z.js";export default a();
