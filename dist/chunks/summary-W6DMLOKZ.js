let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-TNJQSOWV.js";import"./chunk-5TFN7D7G.js";import"./chunk-EBFULV4S.js";import"./chunk-6HNWOMGQ.js";import"./chunk-QWSUZCF2.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
