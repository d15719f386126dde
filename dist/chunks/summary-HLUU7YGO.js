let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-J7P7EYED.js";import"./chunk-BA6R6MPZ.js";import"./chunk-JMPLAYCO.js";import"./chunk-6HNWOMGQ.js";import"./chunk-2HUDSZJQ.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
