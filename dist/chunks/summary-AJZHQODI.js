let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-3AAZCKBC.js";import"./chunk-HY3SGJCQ.js";import"./chunk-CZQLRABR.js";import"./chunk-6HNWOMGQ.js";import"./chunk-QVRIJKLW.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
