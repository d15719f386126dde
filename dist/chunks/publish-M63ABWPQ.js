let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{c as i}from"./chunk-TAAORKSD.js";import{d}from"./chunk-LGGMAIAP.js";import{c as a,d as c}from"./chunk-GM3DQYZH.js";import"./chunk-KHXGTPZZ.js";import"./chunk-A7WJC4LA.js";import"./chunk-Z33ADZQ6.js";import"./chunk-6HNWOMGQ.js";import{c as o,i as p,k as u}from"./chunk-GFQ4VC4S.js";import"./chunk-JBHMUAXP.js";var{appendFile:y}=process.getBuiltinModule("node:fs/promises"),f=6e4;async function k(m){let t={...m,report:p.scrubDeep(m.report)},{logger:e,report:s}=t;t.summaryPath&&await y(t.summaryPath,u(i(s))).catch(r=>e.warning(`immutag could not write the pin summary: ${o(r)}`));try{let r=c(`pin
${t.commentKey||a(t.context.workflow,t.scope??[])}`),l=`${r}
${i(s,f)}
<sub>Written by immutag pin and updated in place on every run.</sub>
`;return(await d(t,{marker:r,body:l},n=>e.warning(n))).find(n=>n.url!==void 0)?.url}catch(r){e.warning(`immutag could not comment the pin report: ${o(r)}. It is in the job summary; the result does not change.`);return}}export{k as publishPinReport};
