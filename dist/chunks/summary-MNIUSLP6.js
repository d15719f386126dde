let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-NM7KGMN6.js";import"./chunk-B2DK6LHO.js";import"./chunk-KNL6YH6L.js";import"./chunk-6HNWOMGQ.js";import"./chunk-Z7DH73GN.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
