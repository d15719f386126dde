let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-IAKCB26B.js";import"./chunk-4W4HKQF3.js";import"./chunk-EBRF7U3L.js";import"./chunk-6HNWOMGQ.js";import"./chunk-NMUTOU6B.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
