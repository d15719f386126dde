import { createRequire as __immutagCreateRequire } from 'node:module'; const require = __immutagCreateRequire(import.meta.url);
import{a as r}from"./chunk-ANKJFOCY.js";var i=["critical","high","medium","low","unknown"];function t(e){let n=e.package;return[e.id,n.ecosystem,n.name,e.installed].join("\0")}r(t,"findingKey");export{i as a,t as b};
