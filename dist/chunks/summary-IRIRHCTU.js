let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-AAL2N2UO.js";import"./chunk-HHOHYP7Z.js";import"./chunk-4DGJHDBY.js";import"./chunk-6HNWOMGQ.js";import"./chunk-SHM5UNYL.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
