import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{a as r}from"./chunk-ANKJFOCY.js";var t=["critical","high","medium","low","unknown"];function i(e){let n=e.package;return[e.id,n.ecosystem,n.name,e.installed].join("\0")}r(i,"findingKey");export{t as a,i as b};
