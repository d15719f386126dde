let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-W6O3AVU5.js";import"./chunk-5CGLOVY7.js";import"./chunk-P2EYCXC3.js";import"./chunk-6HNWOMGQ.js";import"./chunk-2RJG3ZCN.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
