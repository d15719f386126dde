import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{c as m}from"./chunk-CAN6JZ4D.js";import{d}from"./chunk-N72RYFCM.js";import"./chunk-5J4BYKUV.js";import{u as c}from"./chunk-R2KIQBMK.js";import"./chunk-SCNICW4O.js";import"./chunk-NZ6THUE2.js";import"./chunk-T7MULAJ4.js";import{a as u,c as a}from"./chunk-JYLNQTXA.js";import{d as o}from"./chunk-MRZCEDRK.js";import{a as p}from"./chunk-ANKJFOCY.js";import{appendFile as l}from"node:fs/promises";var y=6e4;async function x(i){let t={...i,report:u.scrubDeep(i.report)},{logger:n,report:s}=t;t.summaryPath&&await l(t.summaryPath,a(m(s))).catch(r=>n.warning(`immutag could not write the pin summary: ${o(r)}`));try{let r=c(`pin
${t.commentKey||t.context.workflow||""}`),f=`${r}
${m(s,y)}
<sub>Written by immutag pin and updated in place on every run.</sub>
`;return(await d(t,{marker:r,body:f},e=>n.warning(e))).find(e=>e.url!==void 0)?.url}catch(r){n.warning(`immutag could not comment the pin report: ${o(r)}. It is in the job summary; the result does not change.`);return}}p(x,"publishPinReport");export{x as publishPinReport};
