const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a as r}from"./chunk-2PHAKL2Z.js";var t=["critical","high","medium","low","unknown"];function i(e){let n=e.package;return[e.id,n.ecosystem,n.name,e.installed].join("\0")}r(i,"findingKey");export{t as a,i as b};
