let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as u,b as c,c as R,d as y,f as k}from"./chunk-KSJNTZLI.js";import{a as d}from"./chunk-WNMLKI5P.js";import{e as h,f as g,i as p,k as b}from"./chunk-LOHYDVYK.js";import{d as f,e as m,i as s,k as a,m as l}from"./chunk-7NV2L3UC.js";var{createHash:O}=process.getBuiltinModule("node:crypto"),S=65536,_=64e3;function P(n,e){return[n??"",...[...new Set(e)].sort()].join(`
`)}function U(n){return`<!-- immutag:${O("sha256").update(n).digest("hex").slice(0,16)} -->`}function E(n,e){let r=e.maxSize??_,t=w(n),o=d($(t,e.marker),r);return o!==void 0?o+`
`:M(t,e)}function $(n,e){let r=j(n),t=[e+`
`+u(n),R(n,{platforms:!0}),c(n),k(n),y(n,0,r)],o=n.scan;if(o===void 0&&t.push(b(n)),o!==void 0){let i=g(o,{summary:!1,leftOut:r,priority:1}),x={...i.other,maxShown:C,leftOut:T(n)};t.push(h(o),i.failing,i.moreFailing,x,p(o))}return t.push(L()),t.filter(i=>i!=="")}function w(n){return{...n,tags:n.tags.map(e=>e.reason===void 0?e:{...e,reason:s(e.reason)}),problems:n.problems.map(e=>({...e,message:s(e.message),...e.hint!==void 0?{hint:s(e.hint)}:{}}))}}var C=50;function T(n){let e=n.run.runUrl!==void 0?`the job summary of ${m("this run",n.run.runUrl)}`:"the job summary";return r=>`_\u2026 and ${a(r)} more: see ${e}._`}function j(n){let e=n.run.runUrl!==void 0?`the job summary of ${m("this run",n.run.runUrl)}`:"the job summary",r=n.scan?.files?.sarif!==void 0?" or the SARIF file":"";return t=>`_\u2026 ${a(t)} more ${t===1?"row":"rows"} left out to keep this comment under GitHub's size limit: see ${e}${r}._`}function L(){return"<sub>Written by immutag and updated in place on every run.</sub>"}function M(n,e){let r=e.marker,t=[r+`
`+u(n),c(n)];n.image!==void 0&&t.push(`Digest: ${f(n.image.digest)}`),t.push("The full report does not fit in a pull-request comment: see the job summary of the run.");let o=t.join(`

`)+`
`;return l(o)<=S?o:r+`
`+u(n)+`
`}export{S as a,_ as b,P as c,U as d,E as e,C as f,M as g};
