let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-RVF27U3W.js";import"./chunk-TMV4UQIL.js";import"./chunk-YJMUG4FD.js";import"./chunk-6HNWOMGQ.js";import"./chunk-BWKFIXHT.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
