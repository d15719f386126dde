let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-FHPH67MQ.js";import"./chunk-7EQPK4UF.js";import"./chunk-LOPAUVU5.js";import"./chunk-6HNWOMGQ.js";import"./chunk-Z7KOIDFD.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
