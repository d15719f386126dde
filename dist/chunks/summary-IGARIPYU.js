let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-EZCF3RHX.js";import"./chunk-7KNCRRPG.js";import"./chunk-W73XOALR.js";import"./chunk-6HNWOMGQ.js";import"./chunk-NAB7ZQV7.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
