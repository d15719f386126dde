let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c,d,e}from"./chunk-PFQTL72E.js";import"./chunk-ZCO7JR4K.js";import"./chunk-6HNWOMGQ.js";import"./chunk-ONEUWQ3N.js";import"./chunk-JBHMUAXP.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
