let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-RTDGQNAN.js";import"./chunk-SORL6XLQ.js";import"./chunk-GFA6SUQT.js";import"./chunk-6HNWOMGQ.js";import"./chunk-BT6DQFGD.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
