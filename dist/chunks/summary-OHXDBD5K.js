let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-4CAGQUJ2.js";import"./chunk-D6QWD6P6.js";import"./chunk-NWXX7IOM.js";import"./chunk-6HNWOMGQ.js";import"./chunk-V2SBSYJI.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
