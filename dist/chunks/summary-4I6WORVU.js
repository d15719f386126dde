let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-S6DXUTGY.js";import"./chunk-2NZFBSY6.js";import"./chunk-NVWHCW4B.js";import"./chunk-6HNWOMGQ.js";import"./chunk-M6VGISNB.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
