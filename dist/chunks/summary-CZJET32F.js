let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-KYCNTMAY.js";import"./chunk-OTG4T6AS.js";import"./chunk-XLBBRQFK.js";import"./chunk-6HNWOMGQ.js";import"./chunk-7F5WCM7V.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
