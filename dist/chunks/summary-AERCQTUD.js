let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-WLES4VQH.js";import"./chunk-WHYJDPLJ.js";import"./chunk-XKC4DPIB.js";import"./chunk-6HNWOMGQ.js";import"./chunk-DOGF6OJJ.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
