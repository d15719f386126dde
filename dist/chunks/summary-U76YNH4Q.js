let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-GFDXTVBH.js";import"./chunk-5A7GOEIN.js";import"./chunk-FZF7TZYU.js";import"./chunk-6HNWOMGQ.js";import"./chunk-WMQWP2LP.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
