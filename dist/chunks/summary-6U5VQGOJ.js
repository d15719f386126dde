let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-FSGQPNMD.js";import"./chunk-YHDRZJV5.js";import"./chunk-QXGPQZZX.js";import"./chunk-6HNWOMGQ.js";import"./chunk-BC2ERLKB.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
