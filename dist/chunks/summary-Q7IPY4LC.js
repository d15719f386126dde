let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-SVC3VX23.js";import"./chunk-MEA2OV7Q.js";import"./chunk-P4IXKABK.js";import"./chunk-6HNWOMGQ.js";import"./chunk-JAIEQGX3.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
