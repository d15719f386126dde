const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a as g,b as p,e as b,g as m,h as f,i as R,j as y,l as k}from"./chunk-IEYXRZ7S.js";import{a as h}from"./chunk-WXWU2CRT.js";import{d as l,e as a,i as u,k as c,m as d}from"./chunk-4WTDMJAV.js";import{a as s}from"./chunk-2PHAKL2Z.js";var{createHash:O}=process.getBuiltinModule("node:crypto"),S=65536,_=64e3;function P(n,e){return[n??"",...[...new Set(e)].sort()].join(`
`)}s(P,"defaultCommentKey");function U(n){return`<!-- immutag:${O("sha256").update(n).digest("hex").slice(0,16)} -->`}s(U,"commentMarker");function E(n,e){let r=e.maxSize??_,t=w(n),o=h($(t,e.marker),r);return o!==void 0?o+`
`:B(t,e)}s(E,"renderComment");function $(n,e){let r=j(n),t=[e+`
`+m(n),R(n,{platforms:!0}),f(n),k(n),y(n,0,r)],o=n.scan;if(o!==void 0){let i=p(o,{summary:!1,leftOut:r,priority:1}),x={...i.other,maxShown:C,leftOut:T(n)};t.push(g(o),i.failing,i.moreFailing,x,b(o))}return t.push(M()),t.filter(i=>i!=="")}s($,"commentBlocks");function w(n){return{...n,tags:n.tags.map(e=>e.reason===void 0?e:{...e,reason:u(e.reason)}),problems:n.problems.map(e=>({...e,message:u(e.message),...e.hint!==void 0?{hint:u(e.hint)}:{}}))}}s(w,"withoutRunnerPaths");var C=50;function T(n){let e=n.run.runUrl!==void 0?`the job summary of ${a("this run",n.run.runUrl)}`:"the job summary";return r=>`_\u2026 and ${c(r)} more: see ${e}._`}s(T,"summaryPointer");function j(n){let e=n.run.runUrl!==void 0?`the job summary of ${a("this run",n.run.runUrl)}`:"the job summary",r=n.scan?.files?.sarif!==void 0?" or the SARIF file":"";return t=>`_\u2026 ${c(t)} more ${t===1?"row":"rows"} left out to keep this comment under GitHub's size limit: see ${e}${r}._`}s(j,"leftOutLine");function M(){return"<sub>Written by immutag and updated in place on every run.</sub>"}s(M,"footer");function B(n,e){let r=e.marker,t=[r+`
`+m(n),f(n)];n.image!==void 0&&t.push(`Digest: ${l(n.image.digest)}`),t.push("The full report does not fit in a pull-request comment: see the job summary of the run.");let o=t.join(`

`)+`
`;return d(o)<=S?o:r+`
`+m(n)+`
`}s(B,"renderShortComment");export{S as a,_ as b,P as c,U as d,E as e,C as f,B as g};
