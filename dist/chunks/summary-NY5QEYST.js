let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-LZRACLBR.js";import"./chunk-AI7WXMRS.js";import"./chunk-F27UULM2.js";import"./chunk-6HNWOMGQ.js";import"./chunk-DKKP4SYX.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
