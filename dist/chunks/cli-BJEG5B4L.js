import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{a as d,c as l,u as f,v as h,w as y}from"./chunk-W2AH47DL.js";import"./chunk-2EGG3RJL.js";import"./chunk-3CTJUJ2H.js";import"./chunk-D4OHNQLB.js";import{a as p,c as m,d as c}from"./chunk-7QCI4LKR.js";import"./chunk-VCWCWTQK.js";import{a as n}from"./chunk-ANKJFOCY.js";import{parseArgs as w}from"node:util";import{readFileSync as v}from"node:fs";var g=class{static{n(this,"ConsoleLogger")}secrets=new Set;verbose;write;constructor(e={}){this.verbose=e.verbose??!1,this.write=e.write??(r=>process.stderr.write(r+`
`))}debug(e){this.verbose&&this.write(this.scrub(`debug: ${e}`))}info(e){this.write(this.scrub(e))}warning(e){this.write(this.scrub(`warning: ${e}`))}error(e){this.write(this.scrub(`error: ${e}`))}async group(e,r){return this.info(e),r()}secret(e){e.length>=4&&this.secrets.add(e)}scrub(e){let r=e;for(let a of this.secrets)r=r.split(a).join("***");return r}};var b=`usage:
  immutag check REF... [--mutable-tags PATTERN]... [--insecure-registry HOST]... [--json]
  immutag push --image PATH REF... [--no-push] [scan options]
  immutag verify --digest sha256:... REF... [scan options]

options:
  --mutable-tags PATTERN      tag names that may move (glob; repeatable or comma separated)
  --insecure-registry HOST    host:port reachable over plain HTTP (repeatable)
  --username USER             registry user; the password comes from --password-stdin or
  --password-stdin              $IMMUTAG_PASSWORD (never from an argument)
  --scan ENGINE               osv (default), trivy, grype or none
  --fail-on SEVERITY          critical, high (default), medium, low or none
  --ignore-unfixed            findings without a fix do not fail
  --ignore-file PATH          accepted vulnerability IDs (.trivyignore works)
  --osv-url URL  --vuln-db PATH  --report PATH  --sarif PATH  --sbom PATH
  --max-scan-size SIZE        stop the built-in scan past this much decompressed data (8GiB)
  --summary                   print the markdown summary to stdout
  --json                      print the outcome as JSON to stdout
  --verbose                   debug logging
exit codes: 0 pass, 1 violation, 2 error`,T={"mutable-tags":{type:"string",multiple:!0},"insecure-registry":{type:"string",multiple:!0},username:{type:"string"},"password-stdin":{type:"boolean"},image:{type:"string"},"no-push":{type:"boolean"},digest:{type:"string"},scan:{type:"string"},"fail-on":{type:"string"},"ignore-unfixed":{type:"boolean"},"ignore-file":{type:"string"},"osv-url":{type:"string"},"vuln-db":{type:"string"},"max-scan-size":{type:"string"},report:{type:"string"},sarif:{type:"string"},sbom:{type:"string"},summary:{type:"boolean"},json:{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}};function P(s,e,r,a){if(s==="push"&&!e.image)throw u("push needs --image PATH");if(s==="verify"&&!e.digest)throw u("verify needs --digest sha256:...");if(s==="check"&&(e.image||e.digest))throw u("check takes neither --image nor --digest");let o=e["password-stdin"]?v(0,"utf8").replace(/\r?\n$/,""):a.IMMUTAG_PASSWORD,i={tags:r.join(`
`),"mutable-tags":e["mutable-tags"]?.join(`
`),"insecure-registries":e["insecure-registry"]?.join(`
`),username:e.username,password:e.username?o:void 0,image:e.image,push:e["no-push"]?"false":void 0,digest:e.digest,scan:e.scan,"fail-on":e["fail-on"],"ignore-unfixed":e["ignore-unfixed"]?"true":void 0,"ignore-file":e["ignore-file"],"osv-url":e["osv-url"],"vuln-db":e["vuln-db"],"max-scan-size":e["max-scan-size"],report:e.report,sarif:e.sarif,sbom:e.sbom,comment:"never"};return d(t=>i[t])}n(P,"settingsFromArgs");function u(s){return new p("INVALID_INPUT",s,{hint:"Run immutag --help for usage."})}n(u,"usageError");function S(s){return s.report.result==="pass"?0:s.report.result==="violation"?1:2}n(S,"exitCode");async function A(s){let e;try{e=w({args:s,options:T,allowPositionals:!0,strict:!0})}catch(t){return process.stderr.write(`immutag: ${t.message}
${b}
`),2}let[r,...a]=e.positionals;if(e.values.help||!r)return process.stdout.write(b+`
`),e.values.help?0:2;let o=new g({verbose:e.values.verbose??!1}),i;try{if(!["check","push","verify"].includes(r))throw u(`unknown command "${r}"`);let t=P(r,e.values,a,process.env);t.password&&o.secret(t.password),i=await l(t,{logger:o,env:process.env})}catch(t){return process.stderr.write(`immutag: ${c(m(t,"INVALID_INPUT"))}
`),2}for(let t of h(i.report))o.error(`${t.title}: ${t.message}`);return e.values.summary&&process.stdout.write(f(i.report)),e.values.json&&process.stdout.write(JSON.stringify({...i.outputs,requests:i.requests},null,2)+`
`),o.info(y(i.report)),S(i)}n(A,"main");process.exitCode=await A(process.argv.slice(2));
