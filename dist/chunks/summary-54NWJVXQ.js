let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-U4TNBKF5.js";import"./chunk-4O4JNR2C.js";import"./chunk-LST3HKMB.js";import"./chunk-6HNWOMGQ.js";import"./chunk-OCN35RY3.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
