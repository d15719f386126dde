let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-DTI7BHLY.js";import"./chunk-YFSRCLYH.js";import"./chunk-DUA3ILVY.js";import"./chunk-6HNWOMGQ.js";import"./chunk-MHUY4WEP.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
