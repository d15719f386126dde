const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-6KRDXKNG.js";import"./chunk-WXWU2CRT.js";import"./chunk-4WTDMJAV.js";import"./chunk-2PHAKL2Z.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
