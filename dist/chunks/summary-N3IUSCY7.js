let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-VPX3ZSCK.js";import"./chunk-PBLO5RFG.js";import"./chunk-7WYEMCZV.js";import"./chunk-6HNWOMGQ.js";import"./chunk-UM6BX6PI.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
