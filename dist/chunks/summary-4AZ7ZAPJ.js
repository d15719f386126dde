let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-STNSL5RK.js";import"./chunk-QCCPA7BC.js";import"./chunk-UWXT2IGZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-CWTBKQI6.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
