let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-RN6CRCMA.js";import"./chunk-PWQXWGB6.js";import"./chunk-ZCO7JR4K.js";import"./chunk-6HNWOMGQ.js";import"./chunk-ONEUWQ3N.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
