let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-POVYMWQH.js";import"./chunk-55R3YCAN.js";import"./chunk-IWRSKUFO.js";import"./chunk-6HNWOMGQ.js";import"./chunk-XY5PU44K.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
