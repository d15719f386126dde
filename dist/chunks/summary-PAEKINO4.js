let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-AAQVAWSI.js";import"./chunk-OPS2VFCE.js";import"./chunk-UM67KRAM.js";import"./chunk-6HNWOMGQ.js";import"./chunk-XKVKM6FJ.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
