let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-VD3C2GZX.js";import"./chunk-U4SL7X62.js";import"./chunk-JCY6HAE4.js";import"./chunk-6HNWOMGQ.js";import"./chunk-KZAYXS7U.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
