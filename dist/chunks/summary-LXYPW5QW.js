let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-6NR6YML7.js";import"./chunk-3PQK7CHU.js";import"./chunk-NZJXLIAZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-33T5SD4G.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
