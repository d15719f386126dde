import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{c as d,d as y,e as h}from"./chunk-RJKSGKZB.js";import{a as b}from"./chunk-LXCJQZWX.js";import"./chunk-HPVKNV5V.js";import{a as f}from"./chunk-DXBJCBDW.js";import{a as c}from"./chunk-XPJJ5FR4.js";import"./chunk-AVZ4PC2Q.js";import{b as g}from"./chunk-RUBU3SYM.js";import"./chunk-FQSJZVTD.js";import"./chunk-XEYOSNQU.js";import"./chunk-6VTYUAOO.js";import"./chunk-2NDTQ6YH.js";import"./chunk-SD6QZBCS.js";import{a as m,c as p,d as u,i as S}from"./chunk-R5OF4CR3.js";import{a as i}from"./chunk-ANKJFOCY.js";S();import{readFileSync as A}from"node:fs";import{parseArgs as I}from"node:util";var w=`usage:
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
exit codes: 0 pass, 1 violation, 2 error`,$={check:{type:"boolean"},json:{type:"boolean"},summary:{type:"boolean"},"mutable-tags":{type:"string",multiple:!0},"insecure-registry":{type:"string",multiple:!0},username:{type:"string"},registry:{type:"string",multiple:!0},"password-stdin":{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function R(o){return o.result==="pass"?0:o.result==="violation"?1:2}i(R,"exitCodeOf");async function M(o,T=process.env,v=process.cwd()){let n;try{n=I({args:o,options:$,allowPositionals:!0,strict:!0})}catch(e){return process.stderr.write(`immutag pin: ${e.message}
${w}
`),2}let r=n.values;if(r.help)return process.stdout.write(w+`
`),0;let t=new b({verbose:r.verbose??!1}),a;try{if(n.positionals.length===0)throw P("pin needs at least one PATH (a file, directory or glob)");if(r.username&&!r.registry?.length)throw P("--username needs --registry HOST: the registries the password may be sent to");let e=r.username?r["password-stdin"]?A(0,"utf8").replace(/\r?\n$/,""):T.IMMUTAG_PASSWORD:void 0;e&&t.secret(e),a=new c({logger:t,auth:{username:r.username,password:e,registries:r.registry??[]},insecureRegistries:r["insecure-registry"]??[]})}catch(e){return process.stderr.write(`immutag pin: ${u(p(e,"INVALID_INPUT"))}
`),2}let s;try{s=await f({paths:n.positionals,cwd:v,check:r.check??!1,logger:t,client:a,mutableTags:(r["mutable-tags"]??[]).flatMap(e=>g(e))})}finally{await a.close().catch(()=>{})}for(let e of y(s)){let l=`${e.file!==void 0?`${e.file}${e.line!==void 0?`:${e.line}`:""}: `:""}${e.title}: ${e.message}`;e.level==="error"?t.error(l):t.info(l)}for(let e of s.notes)t.info(`${e.path}: not read: ${e.reason}`);return r.summary&&process.stdout.write(d(s)),r.json&&process.stdout.write(JSON.stringify(s,null,2)+`
`),t.info(h(s)),R(s)}i(M,"runPinCli");function P(o){return new m("INVALID_INPUT",o,{hint:"Run immutag pin --help for usage."})}i(P,"usage");export{w as PIN_USAGE,R as exitCodeOf,M as runPinCli};
