let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-SIWUE3AM.js";import"./chunk-PG7DNO44.js";import"./chunk-OFQIERJU.js";import"./chunk-6HNWOMGQ.js";import"./chunk-YCHIU5B2.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
