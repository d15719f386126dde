let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-GJRJ5USI.js";import"./chunk-IIMQIBVO.js";import"./chunk-3DLRS5YQ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-KA22NMGU.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
