let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as u,b as c,c as f,d as R,f as k}from"./chunk-KHXGTPZZ.js";import{a as y}from"./chunk-Z33ADZQ6.js";import{$ as a,U as l,V as m,Z as i,ba as d,la as h,ma as g,pa as p,ra as b}from"./chunk-GFQ4VC4S.js";var{createHash:O}=process.getBuiltinModule("node:crypto"),S=65536,_=64e3;function U(n,e){return[n??"",...[...new Set(e)].sort()].join(`
`)}function E(n){return`<!-- immutag:${O("sha256").update(n).digest("hex").slice(0,16)} -->`}function H(n,e){let r=e.maxSize??_,t=w(n),o=y($(t,e.marker),r);return o!==void 0?o+`
`:M(t,e)}function $(n,e){let r=j(n),t=[e+`
`+u(n),f(n,{platforms:!0}),c(n),k(n),R(n,0,r)],o=n.scan;if(o===void 0&&t.push(b(n)),o!==void 0){let s=g(o,{summary:!1,leftOut:r,priority:1}),x={...s.other,maxShown:C,leftOut:T(n)};t.push(h(o),s.failing,s.moreFailing,x,p(o))}return t.push(L()),t.filter(s=>s!=="")}function w(n){return{...n,tags:n.tags.map(e=>e.reason===void 0?e:{...e,reason:i(e.reason)}),problems:n.problems.map(e=>({...e,message:i(e.message),...e.hint!==void 0?{hint:i(e.hint)}:{}}))}}var C=50;function T(n){let e=n.run.runUrl!==void 0?`the job summary of ${m("this run",n.run.runUrl)}`:"the job summary";return r=>`_\u2026 and ${a(r)} more: see ${e}._`}function j(n){let e=n.run.runUrl!==void 0?`the job summary of ${m("this run",n.run.runUrl)}`:"the job summary",r=n.scan?.files?.sarif!==void 0?" or the SARIF file":"";return t=>`_\u2026 ${a(t)} more ${t===1?"row":"rows"} left out to keep this comment under GitHub's size limit: see ${e}${r}._`}function L(){return"<sub>Written by immutag and updated in place on every run.</sub>"}function M(n,e){let r=e.marker,t=[r+`
`+u(n),c(n)];n.image!==void 0&&t.push(n.result==="pass"&&n.image.inRegistry?`Deploy: ${l(n.image.digest)}`:f(n,{platforms:!1})),t.push("The full report does not fit in a pull-request comment: see the job summary of the run.");let o=t.join(`

`)+`
`;return d(o)<=S?o:r+`
`+u(n)+`
`}export{S as a,_ as b,U as c,E as d,H as e,C as f,M as g};
