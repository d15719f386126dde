let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-36VZSHSZ.js";import"./chunk-KZQ6UFNO.js";import"./chunk-HGOHI4DA.js";import"./chunk-6HNWOMGQ.js";import"./chunk-26HF4HNI.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
