let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-LG3MV66Q.js";import"./chunk-SJUM77NX.js";import"./chunk-M2QWPWSD.js";import"./chunk-6HNWOMGQ.js";import"./chunk-CXIKMWRA.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
