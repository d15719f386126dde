const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{c as i}from"./chunk-PWFWBSDX.js";import{d as c}from"./chunk-OO6XPPCN.js";import{d as a}from"./chunk-GH53ZQW5.js";import"./chunk-Q6M5W6JP.js";import"./chunk-Q7UNJWQ4.js";import"./chunk-AUTRBDTC.js";import"./chunk-EGEQT4HG.js";import"./chunk-FVGVIXUY.js";import"./chunk-G67JBY3P.js";import{a as p,c as u}from"./chunk-5RSMWAWU.js";import{d as o}from"./chunk-5LBN73TA.js";import"./chunk-XHV7XE2Y.js";var{appendFile:l}=process.getBuiltinModule("node:fs/promises"),f=6e4;async function $(m){let t={...m,report:p.scrubDeep(m.report)},{logger:n,report:s}=t;t.summaryPath&&await l(t.summaryPath,u(i(s))).catch(r=>n.warning(`immutag could not write the pin summary: ${o(r)}`));try{let r=a(`pin
${t.commentKey||t.context.workflow||""}`),d=`${r}
${i(s,f)}
<sub>Written by immutag pin and updated in place on every run.</sub>
`;return(await c(t,{marker:r,body:d},e=>n.warning(e))).find(e=>e.url!==void 0)?.url}catch(r){n.warning(`immutag could not comment the pin report: ${o(r)}. It is in the job summary; the result does not change.`);return}}export{$ as publishPinReport};
