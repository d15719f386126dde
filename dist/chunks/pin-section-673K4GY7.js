let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c,d,e}from"./chunk-ODYA6B7Y.js";import"./chunk-JMD4VLHZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-TR3V5GO6.js";import"./chunk-JBHMUAXP.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
