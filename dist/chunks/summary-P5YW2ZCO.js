let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-FL2JJXMO.js";import"./chunk-MZZ57BMA.js";import"./chunk-5GRPWQMF.js";import"./chunk-6HNWOMGQ.js";import"./chunk-TMU63ANM.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
