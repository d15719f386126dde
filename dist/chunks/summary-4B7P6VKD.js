let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-XZSSJ4WE.js";import"./chunk-UBZWYNBO.js";import"./chunk-MK7HN2UY.js";import"./chunk-6HNWOMGQ.js";import"./chunk-E365QGNO.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
