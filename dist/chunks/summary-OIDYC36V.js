let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-NVRKUVZG.js";import"./chunk-JM43RV4X.js";import"./chunk-HGJLPRCT.js";import"./chunk-6HNWOMGQ.js";import"./chunk-STQKSEJZ.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
