let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-OTWIDWWD.js";import"./chunk-LC6QWH5G.js";import"./chunk-R3JSNISJ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-FN5AHPI3.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
