let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-ARSLHYOM.js";import"./chunk-V5W5H7CU.js";import"./chunk-NYRFVJP7.js";import"./chunk-6HNWOMGQ.js";import"./chunk-4XCY45UG.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
