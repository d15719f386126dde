let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-ZXZHMLLF.js";import"./chunk-WCRERBW5.js";import"./chunk-IPSAHVLF.js";import"./chunk-6HNWOMGQ.js";import"./chunk-BTUCAJOI.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
