import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{a as A}from"./chunk-FWTT3NXV.js";import{a as l,b as h,c as b,d as w,e as T}from"./chunk-G4OCPUMY.js";import"./chunk-GVFEURV5.js";import"./chunk-HPVKNV5V.js";import"./chunk-EBT7QVV2.js";import"./chunk-6BCPOTKF.js";import{b as y}from"./chunk-BQCN77M6.js";import"./chunk-PWCNBNNC.js";import"./chunk-IE3D6WDZ.js";import"./chunk-AVZ4PC2Q.js";import"./chunk-RZAISTSA.js";import"./chunk-LU3CHNH4.js";import"./chunk-XEYOSNQU.js";import{d as f,f as u}from"./chunk-MVMZSWQO.js";import"./chunk-JOCZFK3D.js";import"./chunk-RYNFEMZC.js";import{a as g,c as d,d as c,e as E}from"./chunk-KOGD3LWD.js";import{a as o}from"./chunk-ANKJFOCY.js";E();import{parseArgs as S}from"node:util";import{readFileSync as I}from"node:fs";var p=o(t=>{process.stdout.write(u(t))},"toStdout"),P=o(t=>{process.stderr.write(u(t))},"toStderr"),v=`usage:
  immutag check REF... [--mutable-tags PATTERN]... [--insecure-registry HOST]... [--json]
  immutag push --image PATH REF... [--no-push] [scan options]
  immutag verify --digest sha256:... REF... [scan options]
  immutag pin PATH... [--check] [--json] [--mutable-tags PATTERN]... (immutag pin --help)

options:
  --mutable-tags PATTERN      tag names that may move (glob; repeatable or comma separated)
  --insecure-registry HOST    host:port reachable over plain HTTP (repeatable)
  --username USER             registry user; the password comes from --password-stdin or
  --password-stdin              $IMMUTAG_PASSWORD (never from an argument)
  --promote-same-revision     an immutable tag already holding this revision (and source)
                                is deployed instead of the new build (see the README)
  --scan ENGINE               osv (default), trivy, grype or none
  --fail-on SEVERITY          critical, high (default), medium, low or none
  --ignore-unfixed            findings without a fix do not fail
  --ignore-file PATH          accepted vulnerability IDs (.trivyignore works)
  --osv-url URL  --vuln-db PATH  --report PATH  --sarif PATH  --sbom PATH
  --max-scan-size SIZE        stop the built-in scan past this much decompressed data (8GiB)
  --timeout DURATION          the whole run's time limit (30m); past it, open answers are unknown
  --summary                   print the markdown summary to stdout
  --json                      print the outcome as JSON to stdout
  --verbose                   debug logging
exit codes: 0 pass, 1 violation, 2 error`,R={"mutable-tags":{type:"string",multiple:!0},"insecure-registry":{type:"string",multiple:!0},username:{type:"string"},"password-stdin":{type:"boolean"},image:{type:"string"},"no-push":{type:"boolean"},"promote-same-revision":{type:"boolean"},digest:{type:"string"},scan:{type:"string"},"fail-on":{type:"string"},"ignore-unfixed":{type:"boolean"},"ignore-file":{type:"string"},"osv-url":{type:"string"},"vuln-db":{type:"string"},"max-scan-size":{type:"string"},timeout:{type:"string"},report:{type:"string"},sarif:{type:"string"},sbom:{type:"string"},summary:{type:"boolean"},json:{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function N(t,e,i,m){if(t==="push"&&!e.image)throw a("push needs --image PATH");if(t==="verify"&&!e.digest)throw a("verify needs --digest sha256:...");if(t==="check"&&(e.image||e.digest))throw a("check takes neither --image nor --digest");let n=e["password-stdin"]?I(0,"utf8").replace(/\r?\n$/,""):m.IMMUTAG_PASSWORD,s={tags:i.join(`
`),"mutable-tags":e["mutable-tags"]?.join(`
`),"insecure-registries":e["insecure-registry"]?.join(`
`),username:e.username,password:e.username?n:void 0,image:e.image,push:e["no-push"]?"false":void 0,"promote-same-revision":e["promote-same-revision"]?"true":void 0,digest:e.digest,scan:e.scan,"fail-on":e["fail-on"],"ignore-unfixed":e["ignore-unfixed"]?"true":void 0,"ignore-file":e["ignore-file"],"osv-url":e["osv-url"],"vuln-db":e["vuln-db"],"max-scan-size":e["max-scan-size"],timeout:e.timeout,report:e.report,sarif:e.sarif,sbom:e.sbom,comment:"never"};return l(r=>s[r])}o(N,"settingsFromArgs");function a(t){return new g("INVALID_INPUT",t,{hint:"Run immutag --help for usage."})}o(a,"usageError");function O(t){return t.report.result==="pass"?0:t.report.result==="violation"?1:2}o(O,"exitCode");async function x(t){if(y(),t[0]==="pin")return(await import("./cli-ZBHEZCWL.js")).runPinCli(t.slice(1));let e;try{e=S({args:t,options:R,allowPositionals:!0,strict:!0})}catch(r){return P(`immutag: ${r.message}
${v}
`),2}let[i,...m]=e.positionals;if(e.values.help||!i)return p(v+`
`),e.values.help?0:2;let n=new A({verbose:e.values.verbose??!1}),s;try{if(!["check","push","verify"].includes(i))throw a(`unknown command "${i}"`);let r=N(i,e.values,m,process.env);r.password&&n.secret(r.password),s=f.scrubDeep(await h(r,{logger:n,env:process.env}))}catch(r){return P(`immutag: ${c(d(r,"INVALID_INPUT"))}
`),2}for(let r of w(s.report))n.error(`${r.title}: ${r.message}`);return e.values.summary&&p(b(s.report)),e.values.json&&p(JSON.stringify({...s.outputs,requests:s.requests},null,2)+`
`),n.info(T(s.report)),O(s)}o(x,"main");process.exitCode=await x(process.argv.slice(2));
