let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
var r=["critical","high","medium","low","unknown"];function t(e){let n=e.package;return[e.id,n.ecosystem,n.name,e.installed].join("\0")}export{r as a,t as b};
