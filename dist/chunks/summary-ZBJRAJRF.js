let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-PRGVU72B.js";import"./chunk-ZJOPAAIM.js";import"./chunk-LB2EJFNP.js";import"./chunk-6HNWOMGQ.js";import"./chunk-TYIZF4GY.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
