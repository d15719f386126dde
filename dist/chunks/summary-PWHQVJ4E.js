let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-UYADZYSM.js";import"./chunk-PXVZ2HTX.js";import"./chunk-LK4DIKDY.js";import"./chunk-6HNWOMGQ.js";import"./chunk-FOPHR2RU.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
