let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as I,c as O}from"./chunk-BJKXI4SC.js";import{c as R,d as N,e as $}from"./chunk-VER46AKA.js";import"./chunk-EYIZGLAJ.js";import{b as k,c as v}from"./chunk-BYV2RJCG.js";import"./chunk-GFFFYR2J.js";import"./chunk-6HNWOMGQ.js";import{a as m,b as y,ba as T,c as h,eb as A,h as w,j as a,k as b,m as P,p as S}from"./chunk-26EOZMZH.js";import"./chunk-JBHMUAXP.js";var{readFileSync:M}=process.getBuiltinModule("node:fs"),{parseArgs:D}=process.getBuiltinModule("node:util"),c=`usage:
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
exit codes: 0 pass, 1 violation, 2 error`,H={check:{type:"boolean"},json:{type:"boolean"},summary:{type:"boolean"},"mutable-tags":{type:"string",multiple:!0},"insecure-registries":{type:"string",multiple:!0},username:{type:"string"},registry:{type:"string",multiple:!0},"password-stdin":{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function E(t,s,i){return process.stderr.write(a(`immutag pin: ${b(h(s))}
${i===void 0?"":`${i}
`}`)),k(t)&&process.stdout.write(a(JSON.stringify(U(t,s),null,2)+`
`)),2}function U(t,s){let i=O(s);return{result:"error",mode:t.includes("--check")?"check":"pin",checkedAt:new Date().toISOString(),rows:[],written:[],notes:[],problems:[i],requests:0,error:i}}function _(t){return t.result==="pass"?0:t.result==="violation"?1:2}async function z(t,s=process.env,i=process.cwd(),d){let l;try{l=D({args:t.map(v),options:H,allowPositionals:!0,strict:!0})}catch(e){return E(t,new m("INVALID_INPUT",e.message,{hint:"Run immutag pin --help for usage."}),c)}let r=l.values;if(r.help)return process.stdout.write(a(r.json?JSON.stringify({usage:c},null,2)+`
`:c+`
`)),0;let n=new P({verbose:r.verbose??!1});for(let e of T(s))n.secret(e);let p;try{if(l.positionals.length===0)throw g("pin needs at least one PATH (a file, directory or glob)");if(r.username&&!r.registry?.length)throw g("--username needs --registry HOST: the registries the password may be sent to");if(!r.username&&(r["password-stdin"]||s.IMMUTAG_PASSWORD))throw g(`a password was given (${r["password-stdin"]?"--password-stdin":"$IMMUTAG_PASSWORD"}) but no --username`);let e=r.username?r["password-stdin"]?M(0,"utf8").replace(/\r?\n$/,""):s.IMMUTAG_PASSWORD:void 0;e&&n.secret(e),p=new A({logger:n,auth:{username:r.username,password:e,registries:r.registry??[]},insecureRegistries:r["insecure-registries"]??[],...d?{signal:d}:{}})}catch(e){return E(t,y(e,"INVALID_INPUT"))}let o;try{o=w.scrubDeep(await I({paths:l.positionals,cwd:i,check:r.check??!1,logger:n,client:p,mutableTags:(r["mutable-tags"]??[]).flatMap(e=>S(e))}))}finally{await p.close().catch(()=>{})}for(let e of N(o)){let f=`${e.file!==void 0?`${e.file}${e.line!==void 0?`:${e.line}`:""}: `:""}${e.title}: ${e.message}`;e.level==="error"?n.error(f):n.info(f)}for(let e of o.notes)n.info(`${e.path}: not read: ${e.reason}`);let u=r.summary?R(o):void 0;return r.json?process.stdout.write(a(JSON.stringify(u===void 0?o:{...o,summary:u},null,2)+`
`)):u!==void 0&&process.stdout.write(a(u)),n.info($(o)),_(o)}function g(t){return new m("INVALID_INPUT",t,{hint:"Run immutag pin --help for usage."})}export{c as PIN_USAGE,_ as exitCodeOf,z as runPinCli};
