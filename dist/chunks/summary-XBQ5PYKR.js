let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-JE5ZUWOH.js";import"./chunk-7WME44WP.js";import"./chunk-73KGHII4.js";import"./chunk-6HNWOMGQ.js";import"./chunk-RVE7NW24.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
