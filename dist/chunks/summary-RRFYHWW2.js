let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-5CAEYZIG.js";import"./chunk-AW475L3E.js";import"./chunk-U3JKWNGE.js";import"./chunk-6HNWOMGQ.js";import"./chunk-BBQUAX2S.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
