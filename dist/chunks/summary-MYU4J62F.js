let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-XYYQ237H.js";import"./chunk-GCDBFQF6.js";import"./chunk-JMD4VLHZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-TR3V5GO6.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
