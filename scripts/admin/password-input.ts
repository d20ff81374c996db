// The administrator's password for the CLI: from stdin when it is piped (scripts, provisioning), or typed at a prompt
// with echo off when stdin is a terminal. Never from argv: a command line is visible to every user of the machine
// (ps, /proc/<pid>/cmdline) and lands in shell history.

/** The first line of piped stdin (a trailing CR/LF removed; everything after the first line ignored). */
async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/**
 * One line typed at the terminal with nothing echoed. The caller has the terminal in raw mode before the question is
 * shown: an answer typed (or pasted) the moment the prompt appears must not be echoed by a terminal still cooked.
 */
function prompt(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err?: Error) => {
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const piped = await readPiped();
    if (!piped) throw new Error('no password on stdin (pipe it in, e.g. from a file readable only by you)');
    return piped;
  }
  // Raw (no echo) for both questions and the moment between them; cooked again whatever happens.
  process.stdin.setRawMode(true);
  process.stdin.resume();
  try {
    const first = await prompt('密码 / Password: ');
    const again = await prompt('再次输入 / Again: ');
    if (first !== again) throw new Error('the two passwords differ');
    return first;
  } finally {
    process.stdin.setRawMode(false);
    process.stdin.pause();
  }
}
