let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-62HL2TWH.js";import"./chunk-BLBYM7HM.js";import"./chunk-PDADINEO.js";import"./chunk-6HNWOMGQ.js";import"./chunk-HLIACIXI.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
