let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{ba as i}from"./chunk-GFQ4VC4S.js";var u=`

`;function m(e,r){let n=e.filter(l),o=r-p(e);if(o<0)return;let f=new Map;for(let t of[...n].sort((s,c)=>s.priority-c.priority)){let s=0;for(let c of t.rows.slice(0,t.maxShown)){let d=i(c)+1;if(d>o)break;o-=d,s++}f.set(t,s)}let a=e.map(t=>l(t)?g(t,f.get(t)??0):t).filter(t=>t!=="").join(u);return i(a)<=r?a:void 0}function l(e){return typeof e!="string"}function p(e){let r=0;for(let n of e){if(r+=u.length,!l(n)){r+=i(n);continue}n.rows.length!==0&&(r+=i(g(n,0))+i(n.header)+u.length)}return r}function g(e,r){if(e.rows.length===0)return"";let n=[];e.before!==void 0&&n.push(e.before),r>0&&n.push([e.header,...e.rows.slice(0,r)].filter(f=>f!=="").join(`
`));let o=e.rows.length-r;return o>0&&n.push(e.leftOut(o)),e.after!==void 0&&n.push(e.after),n.join(u)}export{m as a};
