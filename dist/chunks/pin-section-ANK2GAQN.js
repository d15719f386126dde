let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c,d,e}from"./chunk-7QRBYMYJ.js";import"./chunk-U3JKWNGE.js";import"./chunk-6HNWOMGQ.js";import"./chunk-BBQUAX2S.js";import"./chunk-JBHMUAXP.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
