let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a,b,c}from"./chunk-FL22XQ7A.js";import"./chunk-HD4BIFCJ.js";import"./chunk-WIXGEKVZ.js";import"./chunk-6HNWOMGQ.js";import"./chunk-RWJYQAEB.js";import"./chunk-JBHMUAXP.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
