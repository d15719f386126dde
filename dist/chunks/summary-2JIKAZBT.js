let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-TJBJ4RBE.js";import"./chunk-YKMLLJ3R.js";import"./chunk-VTZNTPU3.js";import"./chunk-6HNWOMGQ.js";import"./chunk-WBB5WC4I.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
