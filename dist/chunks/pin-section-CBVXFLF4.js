import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-RPP5ANG5.js";import"./chunk-M2RISQS5.js";import"./chunk-L4ARLHZP.js";import"./chunk-ANKJFOCY.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
