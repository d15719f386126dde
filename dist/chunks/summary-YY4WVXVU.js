let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-GKZEMAKS.js";import"./chunk-ZVVTP7LS.js";import"./chunk-GLK4OFOU.js";import"./chunk-6HNWOMGQ.js";import"./chunk-QYYTZLTZ.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
