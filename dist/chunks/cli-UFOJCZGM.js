import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{a as v}from"./chunk-LXCJQZWX.js";import{a as l,b as h,c as b,d as w,e as T}from"./chunk-3PVAHPAX.js";import"./chunk-Q7EWOOVX.js";import"./chunk-HPVKNV5V.js";import"./chunk-KT5VCABG.js";import"./chunk-NZ6THUE2.js";import{b as y}from"./chunk-BQCN77M6.js";import"./chunk-TTM3SN22.js";import"./chunk-RAWE3YDQ.js";import"./chunk-XPJJ5FR4.js";import"./chunk-AVZ4PC2Q.js";import"./chunk-RUBU3SYM.js";import"./chunk-FQSJZVTD.js";import"./chunk-XEYOSNQU.js";import{d as f,f as p}from"./chunk-6VTYUAOO.js";import"./chunk-2NDTQ6YH.js";import"./chunk-SD6QZBCS.js";import{a as g,c as d,d as c,i as S}from"./chunk-R5OF4CR3.js";import{a as o}from"./chunk-ANKJFOCY.js";S();import{parseArgs as E}from"node:util";import{readFileSync as I}from"node:fs";var u=o(t=>{process.stdout.write(p(t))},"toStdout"),A=o(t=>{process.stderr.write(p(t))},"toStderr"),P=`usage:
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
  --tag-settle-seconds S      wait this long after writing tags, then read them again (5);
                                the same value for every job pushing the repository
  --summary                   print the markdown summary to stdout
  --json                      print the outcome as JSON to stdout
  --verbose                   debug logging
exit codes: 0 pass, 1 violation, 2 error`,R={"mutable-tags":{type:"string",multiple:!0},"insecure-registry":{type:"string",multiple:!0},username:{type:"string"},"password-stdin":{type:"boolean"},image:{type:"string"},"no-push":{type:"boolean"},"promote-same-revision":{type:"boolean"},digest:{type:"string"},scan:{type:"string"},"fail-on":{type:"string"},"ignore-unfixed":{type:"boolean"},"ignore-file":{type:"string"},"osv-url":{type:"string"},"vuln-db":{type:"string"},"max-scan-size":{type:"string"},timeout:{type:"string"},"tag-settle-seconds":{type:"string"},report:{type:"string"},sarif:{type:"string"},sbom:{type:"string"},summary:{type:"boolean"},json:{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function N(t,e,i,m){if(t==="push"&&!e.image)throw a("push needs --image PATH");if(t==="verify"&&!e.digest)throw a("verify needs --digest sha256:...");if(t==="check"&&(e.image||e.digest))throw a("check takes neither --image nor --digest");let n=e["password-stdin"]?I(0,"utf8").replace(/\r?\n$/,""):m.IMMUTAG_PASSWORD,s={tags:i.join(`
`),"mutable-tags":e["mutable-tags"]?.join(`
`),"insecure-registries":e["insecure-registry"]?.join(`
`),username:e.username,password:e.username?n:void 0,image:e.image,push:e["no-push"]?"false":void 0,"promote-same-revision":e["promote-same-revision"]?"true":void 0,digest:e.digest,scan:e.scan,"fail-on":e["fail-on"],"ignore-unfixed":e["ignore-unfixed"]?"true":void 0,"ignore-file":e["ignore-file"],"osv-url":e["osv-url"],"vuln-db":e["vuln-db"],"max-scan-size":e["max-scan-size"],timeout:e.timeout,"tag-settle-seconds":e["tag-settle-seconds"],report:e.report,sarif:e.sarif,sbom:e.sbom,comment:"never"};return l(r=>s[r])}o(N,"settingsFromArgs");function a(t){return new g("INVALID_INPUT",t,{hint:"Run immutag --help for usage."})}o(a,"usageError");function O(t){return t.report.result==="pass"?0:t.report.result==="violation"?1:2}o(O,"exitCode");async function x(t){if(y(),t[0]==="pin")return(await import("./cli-LLUEE55E.js")).runPinCli(t.slice(1));let e;try{e=E({args:t,options:R,allowPositionals:!0,strict:!0})}catch(r){return A(`immutag: ${r.message}
${P}
`),2}let[i,...m]=e.positionals;if(e.values.help||!i)return u(P+`
`),e.values.help?0:2;let n=new v({verbose:e.values.verbose??!1}),s;try{if(!["check","push","verify"].includes(i))throw a(`unknown command "${i}"`);let r=N(i,e.values,m,process.env);r.password&&n.secret(r.password),s=f.scrubDeep(await h(r,{logger:n,env:process.env}))}catch(r){return A(`immutag: ${c(d(r,"INVALID_INPUT"))}
`),2}for(let r of w(s.report))n.error(`${r.title}: ${r.message}`);return e.values.summary&&u(b(s.report)),e.values.json&&u(JSON.stringify({...s.outputs,requests:s.requests},null,2)+`
`),n.info(T(s.report)),O(s)}o(x,"main");process.exitCode=await x(process.argv.slice(2));
