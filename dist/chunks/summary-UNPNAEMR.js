let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-4CKC6SFH.js";import"./chunk-WRZQTZ43.js";import"./chunk-ZMOYOYA7.js";import"./chunk-6HNWOMGQ.js";import"./chunk-HF4CHG72.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
