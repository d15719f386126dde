let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-T2GE7EH4.js";import"./chunk-JUL6X76O.js";import"./chunk-H33JD3SD.js";import"./chunk-6HNWOMGQ.js";import"./chunk-6J4D7JZL.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
