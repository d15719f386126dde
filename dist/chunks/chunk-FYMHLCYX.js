let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as h,b as g,e as p,g as u,h as c,i as b,j as R,l as y}from"./chunk-7KK7KGVV.js";import{a as d}from"./chunk-WNMLKI5P.js";import{d as f,e as m,i,k as a,m as l}from"./chunk-7NV2L3UC.js";var{createHash:x}=process.getBuiltinModule("node:crypto"),O=65536,S=64e3;function N(n,e){return[n??"",...[...new Set(e)].sort()].join(`
`)}function P(n){return`<!-- immutag:${x("sha256").update(n).digest("hex").slice(0,16)} -->`}function U(n,e){let r=e.maxSize??S,t=$(n),o=d(_(t,e.marker),r);return o!==void 0?o+`
`:M(t,e)}function _(n,e){let r=T(n),t=[e+`
`+u(n),b(n,{platforms:!0}),c(n),y(n),R(n,0,r)],o=n.scan;if(o!==void 0){let s=g(o,{summary:!1,leftOut:r,priority:1}),k={...s.other,maxShown:w,leftOut:C(n)};t.push(h(o),s.failing,s.moreFailing,k,p(o))}return t.push(j()),t.filter(s=>s!=="")}function $(n){return{...n,tags:n.tags.map(e=>e.reason===void 0?e:{...e,reason:i(e.reason)}),problems:n.problems.map(e=>({...e,message:i(e.message),...e.hint!==void 0?{hint:i(e.hint)}:{}}))}}var w=50;function C(n){let e=n.run.runUrl!==void 0?`the job summary of ${m("this run",n.run.runUrl)}`:"the job summary";return r=>`_\u2026 and ${a(r)} more: see ${e}._`}function T(n){let e=n.run.runUrl!==void 0?`the job summary of ${m("this run",n.run.runUrl)}`:"the job summary",r=n.scan?.files?.sarif!==void 0?" or the SARIF file":"";return t=>`_\u2026 ${a(t)} more ${t===1?"row":"rows"} left out to keep this comment under GitHub's size limit: see ${e}${r}._`}function j(){return"<sub>Written by immutag and updated in place on every run.</sub>"}function M(n,e){let r=e.marker,t=[r+`
`+u(n),c(n)];n.image!==void 0&&t.push(`Digest: ${f(n.image.digest)}`),t.push("The full report does not fit in a pull-request comment: see the job summary of the run.");let o=t.join(`

`)+`
`;return l(o)<=O?o:r+`
`+u(n)+`
`}export{O as a,S as b,N as c,P as d,U as e,w as f,M as g};
