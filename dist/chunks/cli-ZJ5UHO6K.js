import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{c as y,d as h,e as b}from"./chunk-GW3BTNEB.js";import{c as w,d as P}from"./chunk-K37DKKWO.js";import"./chunk-SCNICW4O.js";import{a as d}from"./chunk-RMNYLUXK.js";import{a as f}from"./chunk-YULI6LKX.js";import"./chunk-T7MULAJ4.js";import{b as c}from"./chunk-PM2PLTVY.js";import"./chunk-MP6QATPZ.js";import"./chunk-XEYOSNQU.js";import"./chunk-RUKQDDWN.js";import{c as i}from"./chunk-JYLNQTXA.js";import"./chunk-2NDTQ6YH.js";import"./chunk-SR3G4CYF.js";import{a as m,c as u,d as g,i as I}from"./chunk-R5OF4CR3.js";import{a}from"./chunk-ANKJFOCY.js";I();import{readFileSync as O}from"node:fs";import{parseArgs as R}from"node:util";var T=`usage:
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
exit codes: 0 pass, 1 violation, 2 error`,$={check:{type:"boolean"},json:{type:"boolean"},summary:{type:"boolean"},"mutable-tags":{type:"string",multiple:!0},"insecure-registries":{type:"string",multiple:!0},username:{type:"string"},registry:{type:"string",multiple:!0},"password-stdin":{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function N(o){return o.result==="pass"?0:o.result==="violation"?1:2}a(N,"exitCodeOf");async function L(o,v=process.env,A=process.cwd()){let n;try{n=R({args:o.map(w),options:$,allowPositionals:!0,strict:!0})}catch(e){return process.stderr.write(i(`immutag pin: ${e.message}
${T}
`)),2}let r=n.values;if(r.help)return process.stdout.write(i(T+`
`)),0;let t=new P({verbose:r.verbose??!1}),l;try{if(n.positionals.length===0)throw S("pin needs at least one PATH (a file, directory or glob)");if(r.username&&!r.registry?.length)throw S("--username needs --registry HOST: the registries the password may be sent to");let e=r.username?r["password-stdin"]?O(0,"utf8").replace(/\r?\n$/,""):v.IMMUTAG_PASSWORD:void 0;e&&t.secret(e),l=new f({logger:t,auth:{username:r.username,password:e,registries:r.registry??[]},insecureRegistries:r["insecure-registries"]??[]})}catch(e){return process.stderr.write(i(`immutag pin: ${g(u(e,"INVALID_INPUT"))}
`)),2}let s;try{s=await d({paths:n.positionals,cwd:A,check:r.check??!1,logger:t,client:l,mutableTags:(r["mutable-tags"]??[]).flatMap(e=>c(e))})}finally{await l.close().catch(()=>{})}for(let e of h(s)){let p=`${e.file!==void 0?`${e.file}${e.line!==void 0?`:${e.line}`:""}: `:""}${e.title}: ${e.message}`;e.level==="error"?t.error(p):t.info(p)}for(let e of s.notes)t.info(`${e.path}: not read: ${e.reason}`);return r.summary&&process.stdout.write(i(y(s))),r.json&&process.stdout.write(i(JSON.stringify(s,null,2)+`
`)),t.info(b(s)),N(s)}a(L,"runPinCli");function S(o){return new m("INVALID_INPUT",o,{hint:"Run immutag pin --help for usage."})}a(S,"usage");export{T as PIN_USAGE,N as exitCodeOf,L as runPinCli};
