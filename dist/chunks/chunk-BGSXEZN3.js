const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a as f,b as c,c as p,d as h,f as d,g as l,h as a,i as b,j as g,k as y,l as R}from"./chunk-IEYXRZ7S.js";import{a as m}from"./chunk-WXWU2CRT.js";import{d as s,k as u}from"./chunk-4WTDMJAV.js";import{a as i}from"./chunk-2PHAKL2Z.js";var $=1024*1024,S=800*1024;function z(e,t={}){let o=t.maxSize??S,n=m(x(e),o);return n!==void 0?n+`
`:[l(e),a(e),"The report is too large for the job summary: see the log."].join(`

`)+`
`}i(z,"renderSummary");function x(e){let t=L(e),o=[l(e),b(e,{platforms:!1}),a(e),R(e),g(e,0,t)],n=e.scan;if(n===void 0)o.push(y(e,1,t));else{let r=c(n,{summary:!0,leftOut:t,priority:2});o.push(f(n),p(n,1,t),r.failing,r.moreFailing,r.other,h(n,4,t),d(n))}return o.filter(r=>r!=="")}i(x,"summaryBlocks");function L(e){let t=e.scan?.files,o=t?.report!==void 0?`the JSON report ${s(t.report,{maxLength:200})}`:t?.sarif!==void 0?`the SARIF file ${s(t.sarif,{maxLength:200})}`:"the `report` or `sarif` output file";return n=>`_\u2026 ${u(n)} more ${n===1?"row":"rows"} left out to stay under the job summary size limit: ${o} has them all._`}i(L,"leftOutLine");export{$ as a,S as b,z as c};
