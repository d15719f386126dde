const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c}from"./chunk-BGSXEZN3.js";import"./chunk-IEYXRZ7S.js";import"./chunk-WXWU2CRT.js";import"./chunk-6Z53N32C.js";import"./chunk-4WTDMJAV.js";import"./chunk-4FEFQFAL.js";import"./chunk-2PHAKL2Z.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
