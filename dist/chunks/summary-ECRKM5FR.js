let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-X3Q6KYYM.js";import"./chunk-C7WACXGY.js";import"./chunk-L5R4BUC3.js";import"./chunk-6HNWOMGQ.js";import"./chunk-UPUQ4F4Z.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
