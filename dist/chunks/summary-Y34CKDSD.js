let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-72IWUJR3.js";import"./chunk-PTZFEMCH.js";import"./chunk-7DEQEGSZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-LU3VKKXH.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
