let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-EZFOLZLI.js";import"./chunk-4CA6672Z.js";import"./chunk-U4UZZZJY.js";import"./chunk-6HNWOMGQ.js";import"./chunk-GW2X2HCJ.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
