let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-EM2H3DT7.js";import"./chunk-E2JFZFT2.js";import"./chunk-YUAPSZSU.js";import"./chunk-6HNWOMGQ.js";import"./chunk-CYU42BHD.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
