let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-MLN3TE6P.js";import"./chunk-HY7GQXEH.js";import"./chunk-4TOXDNQZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-VORIMIZ3.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
