let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-GI2NLBNY.js";import"./chunk-VWTHTDNJ.js";import"./chunk-5RJV62YA.js";import"./chunk-6HNWOMGQ.js";import"./chunk-VVZ3JJK4.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
