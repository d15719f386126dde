let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-54NH43TU.js";import"./chunk-FHKEMX75.js";import"./chunk-BZWDC75K.js";import"./chunk-6HNWOMGQ.js";import"./chunk-AQ5KGPPF.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
