let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-VHOZ5SL4.js";import"./chunk-PIG53GUX.js";import"./chunk-BF5LJF4B.js";import"./chunk-6HNWOMGQ.js";import"./chunk-3EBTLMIE.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
