import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-RJKSGKZB.js";import"./chunk-HPVKNV5V.js";import"./chunk-AVZ4PC2Q.js";import"./chunk-ANKJFOCY.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
