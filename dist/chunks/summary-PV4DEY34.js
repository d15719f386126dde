let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-OPXZI5FZ.js";import"./chunk-UQHQZBXF.js";import"./chunk-UTJ36PSZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-TB47WLMX.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
