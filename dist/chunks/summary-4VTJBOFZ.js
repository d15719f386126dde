let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-5LYGTFLP.js";import"./chunk-B4NK6KDU.js";import"./chunk-7LRMHCDK.js";import"./chunk-6HNWOMGQ.js";import"./chunk-YBRAS3JG.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
