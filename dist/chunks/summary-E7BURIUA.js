let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-WRAB3VMY.js";import"./chunk-YIORFQPE.js";import"./chunk-IPMKOEBE.js";import"./chunk-6HNWOMGQ.js";import"./chunk-7NGVNQHB.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
