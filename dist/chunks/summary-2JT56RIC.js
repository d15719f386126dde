let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-SKQ2P423.js";import"./chunk-QDPK5IC5.js";import"./chunk-H2HORYAM.js";import"./chunk-6HNWOMGQ.js";import"./chunk-IWVJKGY5.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
