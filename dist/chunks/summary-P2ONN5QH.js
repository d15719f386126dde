let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-5Z64MHMD.js";import"./chunk-4I2PYN5E.js";import"./chunk-2FT2ZQIK.js";import"./chunk-6HNWOMGQ.js";import"./chunk-U37AQAB5.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
