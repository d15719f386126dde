let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-2G2YDYRO.js";import"./chunk-6PL542SD.js";import"./chunk-QQAYXTMS.js";import"./chunk-6HNWOMGQ.js";import"./chunk-R6KSFT62.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
