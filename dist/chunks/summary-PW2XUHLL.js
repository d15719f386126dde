let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-FM4WYZ7W.js";import"./chunk-5BVJEU5E.js";import"./chunk-R4SMOVGH.js";import"./chunk-6HNWOMGQ.js";import"./chunk-UG7RU324.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
