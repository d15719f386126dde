let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-RYM6WUXN.js";import"./chunk-KHXGTPZZ.js";import"./chunk-Z33ADZQ6.js";import"./chunk-6HNWOMGQ.js";import"./chunk-GFQ4VC4S.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
