let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-REE6FXNQ.js";import"./chunk-ZDRUS3TN.js";import"./chunk-GCVT3JPY.js";import"./chunk-6HNWOMGQ.js";import"./chunk-CBGIIJK7.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
