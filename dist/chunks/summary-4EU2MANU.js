let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-D43SRKKK.js";import"./chunk-MEZX4YJB.js";import"./chunk-5HTCTRZM.js";import"./chunk-6HNWOMGQ.js";import"./chunk-ESEFCJIG.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
