let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-3FJ7KW62.js";import"./chunk-UDSNHMYD.js";import"./chunk-AKXPSPQI.js";import"./chunk-6HNWOMGQ.js";import"./chunk-ZRST7QVM.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
