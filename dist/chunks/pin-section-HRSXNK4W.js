let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c,d,e}from"./chunk-JPS5FLLB.js";import"./chunk-U5ONIM2Q.js";import"./chunk-6HNWOMGQ.js";import"./chunk-2HZ7SL5G.js";import"./chunk-JBHMUAXP.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
