let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-Z3CDCQHJ.js";import"./chunk-O4GUSQTP.js";import"./chunk-BA7GMXDR.js";import"./chunk-6HNWOMGQ.js";import"./chunk-PTZBZTSN.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
