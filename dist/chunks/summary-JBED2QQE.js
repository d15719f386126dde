let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-C6UQILGC.js";import"./chunk-NULSIFH5.js";import"./chunk-TNOA26LC.js";import"./chunk-6HNWOMGQ.js";import"./chunk-IPONJP5I.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
