import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-CAN6JZ4D.js";import"./chunk-SCNICW4O.js";import"./chunk-T7MULAJ4.js";import"./chunk-ANKJFOCY.js";export{d as pinAnnotations,b as pinBlocks,e as pinFinalLine,a as pinTitle,c as renderPinSummary};
