let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as m,b as f,c,d as p,f as h,g as s,h as l,i as d,j as b,k as g,l as y}from"./chunk-7KK7KGVV.js";import{a as u}from"./chunk-WNMLKI5P.js";import{d as i,k as a}from"./chunk-7NV2L3UC.js";var M=1024*1024,R=800*1024;function $(e,t={}){let o=t.maxSize??R,n=u(S(e),o);return n!==void 0?n+`
`:[s(e),l(e),"The report is too large for the job summary: see the log."].join(`

`)+`
`}function S(e){let t=x(e),o=[s(e),d(e,{platforms:!1}),l(e),y(e),b(e,0,t)],n=e.scan;if(n===void 0)o.push(g(e,1,t));else{let r=f(n,{summary:!0,leftOut:t,priority:2});o.push(m(n),c(n,1,t),r.failing,r.moreFailing,r.other,p(n,4,t),h(n))}return o.filter(r=>r!=="")}function x(e){let t=e.scan?.files,o=t?.report!==void 0?`the JSON report ${i(t.report,{maxLength:200})}`:t?.sarif!==void 0?`the SARIF file ${i(t.sarif,{maxLength:200})}`:"the `report` or `sarif` output file";return n=>`_\u2026 ${a(n)} more ${n===1?"row":"rows"} left out to stay under the job summary size limit: ${o} has them all._`}export{M as a,R as b,$ as c};
