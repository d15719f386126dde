let __immutagRequire; const require = (id) => (__immutagRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))(id);
var a="application/vnd.in-toto+json";function s(o,t){let r=o.platform?.os==="unknown"&&o.platform.architecture==="unknown",n=Array.isArray(t.layers)?t.layers:[];return r&&n.length>0&&n.every(e=>e.mediaType===a)}export{s as a};
