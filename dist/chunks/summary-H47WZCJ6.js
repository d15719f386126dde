let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-6Y4N2IKZ.js";import"./chunk-EIZNRKY6.js";import"./chunk-G2AVA6W2.js";import"./chunk-6HNWOMGQ.js";import"./chunk-ZNO7M26Q.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
