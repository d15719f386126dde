let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c,d,e}from"./chunk-56LDCVCN.js";import"./chunk-IL2KEC6J.js";import"./chunk-6HNWOMGQ.js";import"./chunk-C4KC3V4Y.js";import"./chunk-JBHMUAXP.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
