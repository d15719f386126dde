let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-L3JKOPCG.js";import"./chunk-Q27QP4A4.js";import"./chunk-G3RI7A6Q.js";import"./chunk-6HNWOMGQ.js";import"./chunk-VRIVNLCP.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
