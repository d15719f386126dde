let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-GLLWV7RU.js";import"./chunk-SMMKHCRM.js";import"./chunk-ZNT27FUP.js";import"./chunk-6HNWOMGQ.js";import"./chunk-YSV3IBWA.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
