let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-IJDMM54F.js";import"./chunk-T4WCEOKC.js";import"./chunk-MZTPUPA5.js";import"./chunk-6HNWOMGQ.js";import"./chunk-K53ASVVA.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
