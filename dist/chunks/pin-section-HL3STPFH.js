const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-PWFWBSDX.js";import"./chunk-AUTRBDTC.js";import"./chunk-FVGVIXUY.js";import"./chunk-XHV7XE2Y.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
