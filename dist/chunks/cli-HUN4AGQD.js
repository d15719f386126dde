let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{c as O,d as N,f as $}from"./chunk-TAAORKSD.js";import"./chunk-Z33ADZQ6.js";import{b as E,c as v,d as D,e as M}from"./chunk-VIV6S5IM.js";import{a as k,c as R}from"./chunk-QMFB3B2P.js";import"./chunk-GFFFYR2J.js";import"./chunk-6HNWOMGQ.js";import{a as m,b as y,c as w,ha as A,i as b,k as u,l as P,mb as I,n as S,q as T}from"./chunk-GFQ4VC4S.js";import"./chunk-JBHMUAXP.js";var{parseArgs:U}=process.getBuiltinModule("node:util"),l=`usage:
  immutag pin PATH... [--check] [--json] [--mutable-tags PATTERN]... [--insecure-registries HOST]...

Pins every image reference in PATH (files, directories, globs: Kubernetes manifests,
kustomization.yaml, Compose files, Dockerfiles, GitHub workflows) to the digest its tag
points at now, editing only the references. All files are written or none.

options:
  --check                     change nothing; fail when a reference is not pinned or an
                                immutable tag no longer points at its pinned digest
  --mutable-tags PATTERN      tags that may move (glob; repeatable or comma separated):
                                a move is "update available", not a failure
  --insecure-registries HOST  host:port reachable over plain HTTP (repeatable; singular works too)
  --username USER             registry user, only for the registries named by --registry;
  --registry HOST               the password comes from --password-stdin or $IMMUTAG_PASSWORD
  --password-stdin
  --json                      print the report as JSON to stdout
  --summary                   print the markdown summary to stdout
  --verbose                   debug logging
exit codes: 0 pass, 1 violation, 2 error`,H={check:{type:"boolean"},json:{type:"boolean"},summary:{type:"boolean"},"mutable-tags":{type:"string",multiple:!0},"insecure-registries":{type:"string",multiple:!0},username:{type:"string"},registry:{type:"string",multiple:!0},"password-stdin":{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function c(t,s,i){return process.stderr.write(u(`immutag pin: ${P(w(s))}
${i===void 0?"":`${i}
`}`)),v(t)&&process.stdout.write(u(JSON.stringify(_(t,s),null,2)+`
`)),2}function _(t,s){let i=R(s);return{result:"error",mode:t.includes("--check")?"check":"pin",checkedAt:new Date().toISOString(),rows:[],written:[],notes:[],problems:[i],requests:0,error:i}}function C(t){return t.result==="pass"?0:t.result==="violation"?1:2}async function Q(t,s=process.env,i=process.cwd(),d){let a;try{a=U({args:t.map(D),options:H,allowPositionals:!0,strict:!0,tokens:!0}),E(a.tokens??[],H)}catch(e){return e instanceof m?c(t,e,l):c(t,new m("INVALID_INPUT",e.message,{hint:"Run immutag pin --help for usage."}),l)}let r=a.values;if(r.help&&a.positionals.length>0)return c(t,g("--help was given with paths to check: nothing would be checked"),l);if(r.help)return process.stdout.write(u(r.json?JSON.stringify({usage:l},null,2)+`
`:l+`
`)),0;let n=new S({verbose:r.verbose??!1});for(let e of A(s))n.secret(e);let f;try{if(a.positionals.length===0)throw g("pin needs at least one PATH (a file, directory or glob)");if(r.username&&!r.registry?.length)throw g("--username needs --registry HOST: the registries the password may be sent to");if(!r.username&&(r["password-stdin"]||s.IMMUTAG_PASSWORD))throw g(`a password was given (${r["password-stdin"]?"--password-stdin":"$IMMUTAG_PASSWORD"}) but no --username`);let e=r.username?r["password-stdin"]?await M(d):s.IMMUTAG_PASSWORD:void 0;e&&n.secret(e),f=new I({logger:n,auth:{username:r.username,password:e,registries:r.registry??[]},insecureRegistries:r["insecure-registries"]??[],...d?{signal:d}:{}})}catch(e){return c(t,y(e,"INVALID_INPUT"))}let o;try{o=b.scrubDeep(await k({paths:a.positionals,cwd:i,check:r.check??!1,logger:n,client:f,mutableTags:(r["mutable-tags"]??[]).flatMap(e=>T(e))}))}finally{await f.close().catch(()=>{})}for(let e of N(o)){let h=`${e.file!==void 0?`${e.file}${e.line!==void 0?`:${e.line}`:""}: `:""}${e.title}: ${e.message}`;e.level==="error"?n.error(h):n.info(h)}for(let e of o.notes)n.info(`${e.path}: not read: ${e.reason}`);let p=r.summary?O(o):void 0;return r.json?process.stdout.write(u(JSON.stringify(p===void 0?o:{...o,summary:p},null,2)+`
`)):p!==void 0&&process.stdout.write(u(p)),n.info($(o)),C(o)}function g(t){return new m("INVALID_INPUT",t,{hint:"Run immutag pin --help for usage."})}export{l as PIN_USAGE,C as exitCodeOf,Q as runPinCli};
