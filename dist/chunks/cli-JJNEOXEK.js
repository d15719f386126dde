let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as A,c as I}from"./chunk-R4VAKSEU.js";import{c as O,d as R,e as N}from"./chunk-J546ODWM.js";import"./chunk-YJMUG4FD.js";import{b as $,c as k}from"./chunk-XZHWZ5VB.js";import"./chunk-GFFFYR2J.js";import"./chunk-6HNWOMGQ.js";import{a as m,b as y,c as h,ca as S,fb as T,j as a,k as w,m as b,q as P}from"./chunk-BWKFIXHT.js";import"./chunk-JBHMUAXP.js";var{readFileSync:E}=process.getBuiltinModule("node:fs"),{parseArgs:M}=process.getBuiltinModule("node:util"),c=`usage:
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
exit codes: 0 pass, 1 violation, 2 error`,D={check:{type:"boolean"},json:{type:"boolean"},summary:{type:"boolean"},"mutable-tags":{type:"string",multiple:!0},"insecure-registries":{type:"string",multiple:!0},username:{type:"string"},registry:{type:"string",multiple:!0},"password-stdin":{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function v(t,s,i){return process.stderr.write(a(`immutag pin: ${w(h(s))}
${i===void 0?"":`${i}
`}`)),$(t)&&process.stdout.write(a(JSON.stringify(H(t,s),null,2)+`
`)),2}function H(t,s){let i=I(s);return{result:"error",mode:t.includes("--check")?"check":"pin",checkedAt:new Date().toISOString(),rows:[],written:[],notes:[],problems:[i],requests:0,error:i}}function U(t){return t.result==="pass"?0:t.result==="violation"?1:2}async function q(t,s=process.env,i=process.cwd(),d){let l;try{l=M({args:t.map(k),options:D,allowPositionals:!0,strict:!0})}catch(e){return v(t,new m("INVALID_INPUT",e.message,{hint:"Run immutag pin --help for usage."}),c)}let r=l.values;if(r.help)return process.stdout.write(a(r.json?JSON.stringify({usage:c},null,2)+`
`:c+`
`)),0;let n=new b({verbose:r.verbose??!1});for(let e of S(s))n.secret(e);let p;try{if(l.positionals.length===0)throw g("pin needs at least one PATH (a file, directory or glob)");if(r.username&&!r.registry?.length)throw g("--username needs --registry HOST: the registries the password may be sent to");if(!r.username&&(r["password-stdin"]||s.IMMUTAG_PASSWORD))throw g(`a password was given (${r["password-stdin"]?"--password-stdin":"$IMMUTAG_PASSWORD"}) but no --username`);let e=r.username?r["password-stdin"]?E(0,"utf8").replace(/\r?\n$/,""):s.IMMUTAG_PASSWORD:void 0;e&&n.secret(e),p=new T({logger:n,auth:{username:r.username,password:e,registries:r.registry??[]},insecureRegistries:r["insecure-registries"]??[],...d?{signal:d}:{}})}catch(e){return v(t,y(e,"INVALID_INPUT"))}let o;try{o=await A({paths:l.positionals,cwd:i,check:r.check??!1,logger:n,client:p,mutableTags:(r["mutable-tags"]??[]).flatMap(e=>P(e))})}finally{await p.close().catch(()=>{})}for(let e of R(o)){let f=`${e.file!==void 0?`${e.file}${e.line!==void 0?`:${e.line}`:""}: `:""}${e.title}: ${e.message}`;e.level==="error"?n.error(f):n.info(f)}for(let e of o.notes)n.info(`${e.path}: not read: ${e.reason}`);let u=r.summary?O(o):void 0;return r.json?process.stdout.write(a(JSON.stringify(u===void 0?o:{...o,summary:u},null,2)+`
`)):u!==void 0&&process.stdout.write(a(u)),n.info(N(o)),U(o)}function g(t){return new m("INVALID_INPUT",t,{hint:"Run immutag pin --help for usage."})}export{c as PIN_USAGE,U as exitCodeOf,q as runPinCli};
