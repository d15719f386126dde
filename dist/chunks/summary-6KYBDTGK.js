let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-FWRYCTVC.js";import"./chunk-OUTJDTNS.js";import"./chunk-IL2KEC6J.js";import"./chunk-6HNWOMGQ.js";import"./chunk-C4KC3V4Y.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
