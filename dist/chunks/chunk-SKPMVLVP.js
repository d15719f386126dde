let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as s,b as a,c as b,d as g,e as y,f as R}from"./chunk-TBGGNE57.js";import{a as u}from"./chunk-WNMLKI5P.js";import{e as m,f,g as c,h as p,j as d,k as h}from"./chunk-2H2IZA7Z.js";import{d as i,k as l}from"./chunk-7NV2L3UC.js";var $=1024*1024,S=800*1024;function z(e,t={}){let o=t.maxSize??S,n=u(L(e),o);return n!==void 0?n+`
`:[s(e),a(e),"The report is too large for the job summary: see the log."].join(`

`)+`
`}function L(e){let t=x(e),o=[s(e),b(e,{platforms:!1}),a(e),R(e),g(e,0,t)],n=e.scan;if(n===void 0)o.push(h(e),y(e,1,t));else{let r=f(n,{summary:!0,leftOut:t,priority:2});o.push(m(n),c(n,1,t),r.failing,r.moreFailing,r.other,p(n,4,t),d(n))}return o.filter(r=>r!=="")}function x(e){let t=e.scan?.files,o=t?.report!==void 0?`the JSON report ${i(t.report,{maxLength:200})}`:t?.sarif!==void 0?`the SARIF file ${i(t.sarif,{maxLength:200})}`:"the `report` or `sarif` output file";return n=>`_\u2026 ${l(n)} more ${n===1?"row":"rows"} left out to stay under the job summary size limit: ${o} has them all._`}export{$ as a,S as b,z as c};
