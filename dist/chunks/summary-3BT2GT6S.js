let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-KILJTKNY.js";import"./chunk-NIR36VKJ.js";import"./chunk-PQQZCIMD.js";import"./chunk-6HNWOMGQ.js";import"./chunk-75MWWUJF.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
