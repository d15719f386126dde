let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-JT77KTWJ.js";import"./chunk-B6EMCK47.js";import"./chunk-RXVH2WID.js";import"./chunk-6HNWOMGQ.js";import"./chunk-R5537YEI.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
