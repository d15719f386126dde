let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-DJXPGPHF.js";import"./chunk-2EVBOPP3.js";import"./chunk-7R7UM3OB.js";import"./chunk-6HNWOMGQ.js";import"./chunk-ATT36MY7.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
