let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-ETOIVYZL.js";import"./chunk-EHA4HBKV.js";import"./chunk-SIMN7AVF.js";import"./chunk-6HNWOMGQ.js";import"./chunk-2G6IWTM4.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
