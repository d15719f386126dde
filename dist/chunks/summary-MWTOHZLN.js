let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-EEIT7KLU.js";import"./chunk-NZK5OZ6H.js";import"./chunk-ES73SJ3P.js";import"./chunk-6HNWOMGQ.js";import"./chunk-CHNJ3WFP.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
