// Standard output for commands that print a lot: lines are batched, and a reader that goes away
// (`mqscope decode x | head`) ends the command quietly instead of with an EPIPE stack trace.

/** An error the user caused (bad filter, unreadable file): one line, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

let installed = false;
export function quietOnClosedPipe(): void {
  if (installed) return;
  installed = true;
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
}

export class LineWriter {
  private buf: string[] = [];
  line(s: string): void {
    this.buf.push(s);
    if (this.buf.length >= 512) this.flush();
  }
  flush(): void {
    if (!this.buf.length) return;
    process.stdout.write(this.buf.join('\n') + '\n');
    this.buf = [];
  }
}
