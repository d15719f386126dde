let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-W7WIN6ZD.js";import"./chunk-PODOO2JT.js";import"./chunk-STS3UYGY.js";import"./chunk-6HNWOMGQ.js";import"./chunk-URMR6IQC.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
