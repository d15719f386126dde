let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-UAQRL3SI.js";import"./chunk-VBOR6CWJ.js";import"./chunk-XS5LZVUW.js";import"./chunk-6HNWOMGQ.js";import"./chunk-RIGFINHR.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
