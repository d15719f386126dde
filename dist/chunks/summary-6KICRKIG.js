let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-FO4DCCFW.js";import"./chunk-Z43IQOIQ.js";import"./chunk-ECCJNQQV.js";import"./chunk-6HNWOMGQ.js";import"./chunk-X55RCX2K.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
