let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-OFCYS52X.js";import"./chunk-W2KGSXUN.js";import"./chunk-TE3L47B2.js";import"./chunk-6HNWOMGQ.js";import"./chunk-PWESPIGW.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
