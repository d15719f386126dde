let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-DGV5OK2F.js";import"./chunk-72NQFTSW.js";import"./chunk-OD6LLQHL.js";import"./chunk-6HNWOMGQ.js";import"./chunk-4YEBO3DA.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
