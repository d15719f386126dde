let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-MBDV7GOR.js";import"./chunk-ALIPL5KG.js";import"./chunk-Y35ZQFVR.js";import"./chunk-6HNWOMGQ.js";import"./chunk-7VWKI4FP.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
