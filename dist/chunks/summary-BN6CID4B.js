let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-Z56VFATD.js";import"./chunk-3KJCMBVP.js";import"./chunk-6SRBW7MZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-TE5ILL76.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
