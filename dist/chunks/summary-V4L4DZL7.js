let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-5IJAWQOY.js";import"./chunk-3K62SSAT.js";import"./chunk-U5ONIM2Q.js";import"./chunk-6HNWOMGQ.js";import"./chunk-2HZ7SL5G.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
