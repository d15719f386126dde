let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-RB7IRMFB.js";import"./chunk-XVABYKWX.js";import"./chunk-EYIZGLAJ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-26EOZMZH.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
