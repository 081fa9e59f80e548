/** Starts the service as a Node child process (the HTTP host, tests): its IPC channel is the service's message port. */
import { fork } from 'node:child_process';
import type { SpawnedService } from './supervisor.js';

export function forkService(entry: string, args: readonly string[], opts: { execArgv?: string[] } = {}): () => SpawnedService {
  return () => {
    // 'advanced' serialisation copies large answers (a whole claims table as JSON) without escaping them again.
    const child = fork(entry, [...args], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: opts.execArgv ?? [],
    });
    // A message sent as the child dies fails with EPIPE; its exit, handled by the supervisor, says what happened.
    child.on('error', () => undefined);
    return {
      pid: child.pid,
      channel: {
        post: (m) => {
          if (child.connected) child.send(m as never, (err) => void err);
        },
        onMessage: (l) => child.on('message', l),
      },
      kill: () => child.kill('SIGKILL'),
      onExit: (l) => {
        if (child.exitCode !== null || child.signalCode !== null) l(child.exitCode);
        else child.once('exit', (code) => l(code));
      },
    };
  };
}
