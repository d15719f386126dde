let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-SHMN4HGG.js";import"./chunk-6DFEZEEV.js";import"./chunk-JFP5VOGO.js";import"./chunk-6HNWOMGQ.js";import"./chunk-ONSMEU2M.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
