let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c,d,e}from"./chunk-PUDHCBB2.js";import"./chunk-6SRBW7MZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-TE5ILL76.js";import"./chunk-JBHMUAXP.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
