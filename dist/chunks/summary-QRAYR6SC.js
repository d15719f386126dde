let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-X4OVNZAO.js";import"./chunk-7YRXQSXS.js";import"./chunk-LZN6GPQK.js";import"./chunk-6HNWOMGQ.js";import"./chunk-P5AGGKWG.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
