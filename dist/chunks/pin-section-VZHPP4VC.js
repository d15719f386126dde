let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c,d,e}from"./chunk-DDRT5BE7.js";import"./chunk-KNL6YH6L.js";import"./chunk-6HNWOMGQ.js";import"./chunk-Z7DH73GN.js";import"./chunk-JBHMUAXP.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
