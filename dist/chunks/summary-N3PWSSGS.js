const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c}from"./chunk-KFX2JLTN.js";import"./chunk-Q6M5W6JP.js";import"./chunk-AUTRBDTC.js";import"./chunk-EGEQT4HG.js";import"./chunk-FVGVIXUY.js";import"./chunk-G67JBY3P.js";import"./chunk-XHV7XE2Y.js";export{b as SUMMARY_BUDGET,a as SUMMARY_LIMIT,c as renderSummary};
