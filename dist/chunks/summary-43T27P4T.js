let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-GKNVEBY3.js";import"./chunk-Q55L3U5Y.js";import"./chunk-337ORGNP.js";import"./chunk-6HNWOMGQ.js";import"./chunk-Q5Y7LFDX.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
