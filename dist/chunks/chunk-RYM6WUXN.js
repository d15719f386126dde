let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as s,b as a,c as b,d as g,e as y,f as R}from"./chunk-KHXGTPZZ.js";import{a as h}from"./chunk-Z33ADZQ6.js";import{$ as l,U as i,la as m,ma as u,na as f,oa as c,qa as p,ra as d}from"./chunk-GFQ4VC4S.js";var z=1024*1024,S=800*1024;function _(e,t={}){let o=t.maxSize??S,n=h(L(e),o);return n!==void 0?n+`
`:[s(e),a(e),"The report is too large for the job summary: see the log."].join(`

`)+`
`}function L(e){let t=x(e),o=[s(e),b(e,{platforms:!1}),a(e),R(e),g(e,0,t)],n=e.scan;if(n===void 0)o.push(d(e),y(e,1,t));else{let r=u(n,{summary:!0,leftOut:t,priority:2});o.push(m(n),f(n,1,t),r.failing,r.moreFailing,r.other,c(n,4,t),p(n))}return o.filter(r=>r!=="")}function x(e){let t=e.scan?.files,o=t?.report!==void 0?`the JSON report ${i(t.report,{maxLength:200})}`:t?.sarif!==void 0?`the SARIF file ${i(t.sarif,{maxLength:200})}`:"the `report` or `sarif` output file";return n=>`_\u2026 ${l(n)} more ${n===1?"row":"rows"} left out to stay under the job summary size limit: ${o} has them all._`}export{z as a,S as b,_ as c};
