let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-REZGZLE3.js";import"./chunk-QFARLHVD.js";import"./chunk-QIXQEGHN.js";import"./chunk-6HNWOMGQ.js";import"./chunk-XEXFXP52.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
