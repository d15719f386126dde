let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-GXKBEVLY.js";import"./chunk-43O62HXO.js";import"./chunk-ZAYL5RI2.js";import"./chunk-6HNWOMGQ.js";import"./chunk-KWXX5RFR.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
