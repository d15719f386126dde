let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-2R6FPZVU.js";import"./chunk-URLKYNLJ.js";import"./chunk-UEMPHQOE.js";import"./chunk-6HNWOMGQ.js";import"./chunk-PSZ3IMXD.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
