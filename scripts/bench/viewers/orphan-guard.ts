// Preloaded (node --import) into every process the viewers bench starts, the gateway included: if the bench dies
// without cleaning up (SIGKILL, OOM), its children notice they were re-parented and stop themselves with SIGTERM,
// which the gateway and the other roles handle as a normal shutdown. Touches nothing else.
const benchPid = process.ppid;
setInterval(() => {
  if (process.ppid !== benchPid) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();

export {};
