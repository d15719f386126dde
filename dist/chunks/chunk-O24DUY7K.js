const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a as r}from"./chunk-2PHAKL2Z.js";var s="application/vnd.in-toto+json";function i(o,t){let e=o.platform?.os==="unknown"&&o.platform.architecture==="unknown",n=Array.isArray(t.layers)?t.layers:[];return e&&n.length>0&&n.every(a=>a.mediaType===s)}r(i,"isAttestation");export{i as a};
