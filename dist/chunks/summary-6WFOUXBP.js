let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-NNP2F72Z.js";import"./chunk-5QOBBV5O.js";import"./chunk-L2M6ANHN.js";import"./chunk-6HNWOMGQ.js";import"./chunk-T6AAHQHU.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
