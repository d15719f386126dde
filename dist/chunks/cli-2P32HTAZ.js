let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as S}from"./chunk-INWB4R3K.js";import{c as A,d as I,e as O}from"./chunk-CO6M3T7X.js";import"./chunk-WNMLKI5P.js";import{b as N,c as R}from"./chunk-V6QXZJBA.js";import{a as h,c as w}from"./chunk-66QQEBDZ.js";import{a as T}from"./chunk-OCOQKMVG.js";import"./chunk-GFFFYR2J.js";import"./chunk-7NV2L3UC.js";import{a as b}from"./chunk-AF726NVZ.js";import"./chunk-G7BBGIKW.js";import{I as P}from"./chunk-Z7MZ5S75.js";import{c as i}from"./chunk-XJJEETG3.js";import"./chunk-67GAZYMT.js";import{a as m,c as f,d as y}from"./chunk-3DZCYROX.js";import"./chunk-JBHMUAXP.js";var{readFileSync:v}=process.getBuiltinModule("node:fs"),{parseArgs:k}=process.getBuiltinModule("node:util"),g=`usage:
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
exit codes: 0 pass, 1 violation, 2 error`,E={check:{type:"boolean"},json:{type:"boolean"},summary:{type:"boolean"},"mutable-tags":{type:"string",multiple:!0},"insecure-registries":{type:"string",multiple:!0},username:{type:"string"},registry:{type:"string",multiple:!0},"password-stdin":{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function $(t,s,a){return process.stderr.write(i(`immutag pin: ${h(y(s))}
${a===void 0?"":`${a}
`}`)),N(t)&&process.stdout.write(i(JSON.stringify({result:"error",rows:[],error:{code:s.code,message:s.message,hint:s.hint}},null,2)+`
`)),2}function M(t){return t.result==="pass"?0:t.result==="violation"?1:2}async function W(t,s=process.env,a=process.cwd()){let l;try{l=k({args:t.map(R),options:E,allowPositionals:!0,strict:!0})}catch(e){return $(t,new m("INVALID_INPUT",e.message,{hint:"Run immutag pin --help for usage."}),g)}let r=l.values;if(r.help)return process.stdout.write(i(r.json?JSON.stringify({usage:g},null,2)+`
`:g+`
`)),0;let n=new w({verbose:r.verbose??!1});for(let e of P(s))n.secret(e);let p;try{if(l.positionals.length===0)throw c("pin needs at least one PATH (a file, directory or glob)");if(r.username&&!r.registry?.length)throw c("--username needs --registry HOST: the registries the password may be sent to");if(!r.username&&(r["password-stdin"]||s.IMMUTAG_PASSWORD))throw c(`a password was given (${r["password-stdin"]?"--password-stdin":"$IMMUTAG_PASSWORD"}) but no --username`);let e=r.username?r["password-stdin"]?v(0,"utf8").replace(/\r?\n$/,""):s.IMMUTAG_PASSWORD:void 0;e&&n.secret(e),p=new T({logger:n,auth:{username:r.username,password:e,registries:r.registry??[]},insecureRegistries:r["insecure-registries"]??[]})}catch(e){return $(t,f(e,"INVALID_INPUT"))}let o;try{o=await S({paths:l.positionals,cwd:a,check:r.check??!1,logger:n,client:p,mutableTags:(r["mutable-tags"]??[]).flatMap(e=>b(e))})}finally{await p.close().catch(()=>{})}for(let e of I(o)){let d=`${e.file!==void 0?`${e.file}${e.line!==void 0?`:${e.line}`:""}: `:""}${e.title}: ${e.message}`;e.level==="error"?n.error(d):n.info(d)}for(let e of o.notes)n.info(`${e.path}: not read: ${e.reason}`);let u=r.summary?A(o):void 0;return r.json?process.stdout.write(i(JSON.stringify(u===void 0?o:{...o,summary:u},null,2)+`
`)):u!==void 0&&process.stdout.write(i(u)),n.info(O(o)),M(o)}function c(t){return new m("INVALID_INPUT",t,{hint:"Run immutag pin --help for usage."})}export{g as PIN_USAGE,M as exitCodeOf,W as runPinCli};
