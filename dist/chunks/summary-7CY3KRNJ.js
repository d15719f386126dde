let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-BX5ISJMT.js";import"./chunk-KJN6DBUG.js";import"./chunk-S5GMNCKD.js";import"./chunk-6HNWOMGQ.js";import"./chunk-6PSW6J6Z.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
