let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-S5DERCDD.js";import"./chunk-WYZUYZCL.js";import"./chunk-5AFTZMGX.js";import"./chunk-6HNWOMGQ.js";import"./chunk-Y36C6RQF.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
