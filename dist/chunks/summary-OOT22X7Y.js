let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-BA5SF5FE.js";import"./chunk-GYKN2HNW.js";import"./chunk-SJFHNDFK.js";import"./chunk-6HNWOMGQ.js";import"./chunk-SXBO4BNI.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
