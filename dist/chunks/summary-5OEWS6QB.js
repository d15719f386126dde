let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-K7XR74BK.js";import"./chunk-GFT5KBI2.js";import"./chunk-WN5EQOBM.js";import"./chunk-6HNWOMGQ.js";import"./chunk-GHKCV6EB.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
