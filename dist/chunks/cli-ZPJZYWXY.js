import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{c as y,d as h,e as b}from"./chunk-GW3BTNEB.js";import{a as w}from"./chunk-MQQ32T7E.js";import"./chunk-SCNICW4O.js";import{a as d}from"./chunk-RMNYLUXK.js";import{a as f}from"./chunk-YULI6LKX.js";import"./chunk-T7MULAJ4.js";import{b as c}from"./chunk-PM2PLTVY.js";import"./chunk-MP6QATPZ.js";import"./chunk-XEYOSNQU.js";import"./chunk-RUKQDDWN.js";import{c as n}from"./chunk-JYLNQTXA.js";import"./chunk-2NDTQ6YH.js";import"./chunk-SR3G4CYF.js";import{a as m,c as u,d as g,i as A}from"./chunk-R5OF4CR3.js";import{a}from"./chunk-ANKJFOCY.js";A();import{readFileSync as I}from"node:fs";import{parseArgs as O}from"node:util";var P=`usage:
  immutag pin PATH... [--check] [--json] [--mutable-tags PATTERN]... [--insecure-registry HOST]...

Pins every image reference in PATH (files, directories, globs: Kubernetes manifests,
kustomization.yaml, Compose files, Dockerfiles, GitHub workflows) to the digest its tag
points at now, editing only the references. All files are written or none.

options:
  --check                     change nothing; fail when a reference is not pinned or an
                                immutable tag no longer points at its pinned digest
  --mutable-tags PATTERN      tags that may move (glob; repeatable or comma separated):
                                a move is "update available", not a failure
  --insecure-registry HOST    host:port reachable over plain HTTP (repeatable)
  --username USER             registry user, only for the registries named by --registry;
  --registry HOST               the password comes from --password-stdin or $IMMUTAG_PASSWORD
  --password-stdin
  --json                      print the report as JSON to stdout
  --summary                   print the markdown summary to stdout
  --verbose                   debug logging
exit codes: 0 pass, 1 violation, 2 error`,R={check:{type:"boolean"},json:{type:"boolean"},summary:{type:"boolean"},"mutable-tags":{type:"string",multiple:!0},"insecure-registry":{type:"string",multiple:!0},username:{type:"string"},registry:{type:"string",multiple:!0},"password-stdin":{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function $(o){return o.result==="pass"?0:o.result==="violation"?1:2}a($,"exitCodeOf");async function j(o,S=process.env,v=process.cwd()){let i;try{i=O({args:o,options:R,allowPositionals:!0,strict:!0})}catch(e){return process.stderr.write(n(`immutag pin: ${e.message}
${P}
`)),2}let r=i.values;if(r.help)return process.stdout.write(n(P+`
`)),0;let t=new w({verbose:r.verbose??!1}),l;try{if(i.positionals.length===0)throw T("pin needs at least one PATH (a file, directory or glob)");if(r.username&&!r.registry?.length)throw T("--username needs --registry HOST: the registries the password may be sent to");let e=r.username?r["password-stdin"]?I(0,"utf8").replace(/\r?\n$/,""):S.IMMUTAG_PASSWORD:void 0;e&&t.secret(e),l=new f({logger:t,auth:{username:r.username,password:e,registries:r.registry??[]},insecureRegistries:r["insecure-registry"]??[]})}catch(e){return process.stderr.write(n(`immutag pin: ${g(u(e,"INVALID_INPUT"))}
`)),2}let s;try{s=await d({paths:i.positionals,cwd:v,check:r.check??!1,logger:t,client:l,mutableTags:(r["mutable-tags"]??[]).flatMap(e=>c(e))})}finally{await l.close().catch(()=>{})}for(let e of h(s)){let p=`${e.file!==void 0?`${e.file}${e.line!==void 0?`:${e.line}`:""}: `:""}${e.title}: ${e.message}`;e.level==="error"?t.error(p):t.info(p)}for(let e of s.notes)t.info(`${e.path}: not read: ${e.reason}`);return r.summary&&process.stdout.write(n(y(s))),r.json&&process.stdout.write(n(JSON.stringify(s,null,2)+`
`)),t.info(b(s)),$(s)}a(j,"runPinCli");function T(o){return new m("INVALID_INPUT",o,{hint:"Run immutag pin --help for usage."})}a(T,"usage");export{P as PIN_USAGE,$ as exitCodeOf,j as runPinCli};
