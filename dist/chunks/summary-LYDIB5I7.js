let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-S3TTWTNK.js";import"./chunk-Q6DKQTRJ.js";import"./chunk-OOFB2VKA.js";import"./chunk-6HNWOMGQ.js";import"./chunk-CKVNYZHC.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
