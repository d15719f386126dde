let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-4PHJXHGR.js";import"./chunk-7MVN5XDY.js";import"./chunk-J5UQDVYB.js";import"./chunk-6HNWOMGQ.js";import"./chunk-HLDSL4RP.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
