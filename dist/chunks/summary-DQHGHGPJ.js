let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-4IT4T7VQ.js";import"./chunk-BWDU6EET.js";import"./chunk-AS3S7GBT.js";import"./chunk-6HNWOMGQ.js";import"./chunk-NERJ5FIG.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
