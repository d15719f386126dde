const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a as h}from"./chunk-R6XDCGNM.js";import{c as w,d as b,e as P}from"./chunk-6KRDXKNG.js";import"./chunk-WXWU2CRT.js";import{b as T,c as I,d as S}from"./chunk-XMDK7TCV.js";import{a as y}from"./chunk-G3U7FGYV.js";import"./chunk-4WTDMJAV.js";import"./chunk-GZ6OANHB.js";import{a as d}from"./chunk-KOHOW5TW.js";import"./chunk-ZF7PFJR6.js";import"./chunk-IZD5YNFU.js";import"./chunk-ZYCEZ7GM.js";import{c as i}from"./chunk-ZXRMBFXJ.js";import"./chunk-GJD6QVVF.js";import{a as m,c,d as f}from"./chunk-JSZDVV6O.js";import{a}from"./chunk-2PHAKL2Z.js";var{readFileSync:O}=process.getBuiltinModule("node:fs"),{parseArgs:R}=process.getBuiltinModule("node:util"),A=`usage:
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
exit codes: 0 pass, 1 violation, 2 error`,$={check:{type:"boolean"},json:{type:"boolean"},summary:{type:"boolean"},"mutable-tags":{type:"string",multiple:!0},"insecure-registries":{type:"string",multiple:!0},username:{type:"string"},registry:{type:"string",multiple:!0},"password-stdin":{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function N(t,n,l){return process.stderr.write(i(`immutag pin: ${f(n)}
${l===void 0?"":`${l}
`}`)),T(t)&&process.stdout.write(i(JSON.stringify({result:"error",rows:[],error:{code:n.code,message:n.message,hint:n.hint}},null,2)+`
`)),2}a(N,"refuse");function k(t){return t.result==="pass"?0:t.result==="violation"?1:2}a(k,"exitCodeOf");async function j(t,n=process.env,l=process.cwd()){let u;try{u=R({args:t.map(I),options:$,allowPositionals:!0,strict:!0})}catch(e){return N(t,new m("INVALID_INPUT",e.message,{hint:"Run immutag pin --help for usage."}),A)}let r=u.values;if(r.help)return process.stdout.write(i(A+`
`)),0;let s=new S({verbose:r.verbose??!1}),p;try{if(u.positionals.length===0)throw v("pin needs at least one PATH (a file, directory or glob)");if(r.username&&!r.registry?.length)throw v("--username needs --registry HOST: the registries the password may be sent to");let e=r.username?r["password-stdin"]?O(0,"utf8").replace(/\r?\n$/,""):n.IMMUTAG_PASSWORD:void 0;e&&s.secret(e),p=new y({logger:s,auth:{username:r.username,password:e,registries:r.registry??[]},insecureRegistries:r["insecure-registries"]??[]})}catch(e){return N(t,c(e,"INVALID_INPUT"))}let o;try{o=await h({paths:u.positionals,cwd:l,check:r.check??!1,logger:s,client:p,mutableTags:(r["mutable-tags"]??[]).flatMap(e=>d(e))})}finally{await p.close().catch(()=>{})}for(let e of b(o)){let g=`${e.file!==void 0?`${e.file}${e.line!==void 0?`:${e.line}`:""}: `:""}${e.title}: ${e.message}`;e.level==="error"?s.error(g):s.info(g)}for(let e of o.notes)s.info(`${e.path}: not read: ${e.reason}`);return r.summary&&process.stdout.write(i(w(o))),r.json&&process.stdout.write(i(JSON.stringify(o,null,2)+`
`)),s.info(P(o)),k(o)}a(j,"runPinCli");function v(t){return new m("INVALID_INPUT",t,{hint:"Run immutag pin --help for usage."})}a(v,"usage");export{A as PIN_USAGE,k as exitCodeOf,j as runPinCli};
