let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-36GCYWYZ.js";import"./chunk-ENZVKMPS.js";import"./chunk-UEN3NOX6.js";import"./chunk-6HNWOMGQ.js";import"./chunk-YYBPSW3M.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
