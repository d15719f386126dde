let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-SHTEP4T3.js";import"./chunk-YN7MX3OH.js";import"./chunk-R4ODC57J.js";import"./chunk-6HNWOMGQ.js";import"./chunk-DYFIUQPP.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
