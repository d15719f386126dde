let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-NPHCKO3S.js";import"./chunk-GWBYHHHN.js";import"./chunk-7F6Z3RAH.js";import"./chunk-6HNWOMGQ.js";import"./chunk-SAQPEJ6A.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
