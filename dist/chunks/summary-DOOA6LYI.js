let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-637OTM6X.js";import"./chunk-RRLZ42KB.js";import"./chunk-7ELPIDMZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-ZBUMPBPM.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
