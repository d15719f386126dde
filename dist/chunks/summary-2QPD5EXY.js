let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-4NOSQDPH.js";import"./chunk-U4MH5UHX.js";import"./chunk-PJZM3EFI.js";import"./chunk-6HNWOMGQ.js";import"./chunk-5IWYPNSG.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
