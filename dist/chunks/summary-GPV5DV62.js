let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-RWE36NHW.js";import"./chunk-AQYPCMK4.js";import"./chunk-TM2ONPYX.js";import"./chunk-6HNWOMGQ.js";import"./chunk-VASKFSDJ.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
