const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{c as i}from"./chunk-6KRDXKNG.js";import{d}from"./chunk-KMZUBIEN.js";import{d as c}from"./chunk-OBYITNNL.js";import"./chunk-IEYXRZ7S.js";import"./chunk-TUINMKF4.js";import"./chunk-WXWU2CRT.js";import"./chunk-6Z53N32C.js";import"./chunk-4WTDMJAV.js";import"./chunk-4FEFQFAL.js";import{a as u,c as a}from"./chunk-ZXRMBFXJ.js";import{d as o}from"./chunk-JSZDVV6O.js";import{a as p}from"./chunk-2PHAKL2Z.js";var{appendFile:f}=process.getBuiltinModule("node:fs/promises"),y=6e4;async function k(m){let t={...m,report:u.scrubDeep(m.report)},{logger:n,report:s}=t;t.summaryPath&&await f(t.summaryPath,a(i(s))).catch(r=>n.warning(`immutag could not write the pin summary: ${o(r)}`));try{let r=c(`pin
${t.commentKey||t.context.workflow||""}`),l=`${r}
${i(s,y)}
<sub>Written by immutag pin and updated in place on every run.</sub>
`;return(await d(t,{marker:r,body:l},e=>n.warning(e))).find(e=>e.url!==void 0)?.url}catch(r){n.warning(`immutag could not comment the pin report: ${o(r)}. It is in the job summary; the result does not change.`);return}}p(k,"publishPinReport");export{k as publishPinReport};
