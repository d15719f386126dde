let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
import{a as w}from"./chunk-ZXHPDMOU.js";import{c as b,d as P,e as T}from"./chunk-CO6M3T7X.js";import"./chunk-WNMLKI5P.js";import{b as I,c as S}from"./chunk-V6QXZJBA.js";import{a as f,c as d}from"./chunk-FZHBZIWS.js";import{a as h}from"./chunk-SYVGWW3G.js";import"./chunk-GFFFYR2J.js";import"./chunk-7NV2L3UC.js";import{a as y}from"./chunk-AF726NVZ.js";import"./chunk-6E3USBCG.js";import"./chunk-G7BBGIKW.js";import"./chunk-UW7FW4BE.js";import{c as i}from"./chunk-X27OKHLV.js";import"./chunk-QIZYME57.js";import{a as p,c as g,d as c}from"./chunk-3DZCYROX.js";import"./chunk-JBHMUAXP.js";var{readFileSync:O}=process.getBuiltinModule("node:fs"),{parseArgs:R}=process.getBuiltinModule("node:util"),A=`usage:
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
exit codes: 0 pass, 1 violation, 2 error`,$={check:{type:"boolean"},json:{type:"boolean"},summary:{type:"boolean"},"mutable-tags":{type:"string",multiple:!0},"insecure-registries":{type:"string",multiple:!0},username:{type:"string"},registry:{type:"string",multiple:!0},"password-stdin":{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function N(t,n,a){return process.stderr.write(i(`immutag pin: ${f(c(n))}
${a===void 0?"":`${a}
`}`)),I(t)&&process.stdout.write(i(JSON.stringify({result:"error",rows:[],error:{code:n.code,message:n.message,hint:n.hint}},null,2)+`
`)),2}function k(t){return t.result==="pass"?0:t.result==="violation"?1:2}async function j(t,n=process.env,a=process.cwd()){let l;try{l=R({args:t.map(S),options:$,allowPositionals:!0,strict:!0})}catch(e){return N(t,new p("INVALID_INPUT",e.message,{hint:"Run immutag pin --help for usage."}),A)}let r=l.values;if(r.help)return process.stdout.write(i(A+`
`)),0;let s=new d({verbose:r.verbose??!1}),u;try{if(l.positionals.length===0)throw v("pin needs at least one PATH (a file, directory or glob)");if(r.username&&!r.registry?.length)throw v("--username needs --registry HOST: the registries the password may be sent to");let e=r.username?r["password-stdin"]?O(0,"utf8").replace(/\r?\n$/,""):n.IMMUTAG_PASSWORD:void 0;e&&s.secret(e),u=new h({logger:s,auth:{username:r.username,password:e,registries:r.registry??[]},insecureRegistries:r["insecure-registries"]??[]})}catch(e){return N(t,g(e,"INVALID_INPUT"))}let o;try{o=await w({paths:l.positionals,cwd:a,check:r.check??!1,logger:s,client:u,mutableTags:(r["mutable-tags"]??[]).flatMap(e=>y(e))})}finally{await u.close().catch(()=>{})}for(let e of P(o)){let m=`${e.file!==void 0?`${e.file}${e.line!==void 0?`:${e.line}`:""}: `:""}${e.title}: ${e.message}`;e.level==="error"?s.error(m):s.info(m)}for(let e of o.notes)s.info(`${e.path}: not read: ${e.reason}`);return r.summary&&process.stdout.write(i(b(o))),r.json&&process.stdout.write(i(JSON.stringify(o,null,2)+`
`)),s.info(T(o)),k(o)}function v(t){return new p("INVALID_INPUT",t,{hint:"Run immutag pin --help for usage."})}export{A as PIN_USAGE,k as exitCodeOf,j as runPinCli};
