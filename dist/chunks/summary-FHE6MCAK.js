let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-RCRECNKK.js";import"./chunk-E2AUT5WD.js";import"./chunk-SX77BCR6.js";import"./chunk-6HNWOMGQ.js";import"./chunk-T4QOOGMW.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
