// Running commands and reading /proc: every figure the harness takes from the OS goes through here.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes (apps write the same clock). */
export function nowMs() {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms`; the harness waits for apps, never for the CLI's opinion. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs a command to its end and says how long it took (spawn to exit). A daemon that kept our pipes open
 * must not hang the harness, so the output is taken as it is shortly after the exit.
 */
export function runTimed(file, args, { env, cwd, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let exited = null;
    const finish = () => {
      clearTimeout(killer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ ...exited, stdout, stderr });
    };
    child.on('error', (err) => {
      exited = { code: 127, signal: null, ms: performance.now() - started };
      stderr += String(err);
      finish();
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal, ms: performance.now() - started };
      const grace = setTimeout(finish, 300);
      child.on('close', () => {
        clearTimeout(grace);
        finish();
      });
    });
  });
}

/** Like runTimed, but a failure is an error carrying the command's output. */
export async function runOk(file, args, options) {
  const result = await runTimed(file, args, options);
  if (result.code !== 0) {
    const lines = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    // The line that says what went wrong, not the last line of a stack trace.
    const reason = lines.find((l) => /^(tend:|\[PM2\]\[ERROR\]|error)|failed|✗/i.test(l)) ?? lines.at(-1) ?? '';
    const name = file.split('/').pop() === 'cli.cjs' ? 'tend' : file.split('/').pop();
    throw Object.assign(new Error(`\`${name} ${args[0] ?? ''}\` exited ${result.code ?? result.signal}: ${reason}`), {
      output: lines,
    });
  }
  return result;
}

/** Resident memory of one process in MiB, from /proc (the kernel's figure, no sampling library in between). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** CPU time a process has used itself (utime + stime, children excluded), in clock ticks. */
export function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU one process used over the next `windowMs` (its own time, children excluded), in % of one core. */
export async function cpuPercentOver(pid, windowMs) {
  const t0 = nowMs();
  const ticks0 = cpuTicks(pid);
  await sleep(windowMs);
  const ticks1 = cpuTicks(pid);
  const seconds = (nowMs() - t0) / 1000;
  return ((ticks1 - ticks0) / CLK_TCK / seconds) * 100;
}

/** Pids whose environment holds `NAME=value...` for one of the given markers; the harness's own pid is never listed. */
export function pidsWithEnv(markers) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    const vars = environ.split('\0');
    if (markers.some((m) => vars.some((v) => v.startsWith(m)))) found.push(pid);
  }
  return found;
}

/** True while the pid exists and is not a zombie. */
export function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILLs a child the harness spawned and waits until it is reaped, so no half-dead pid is left for the next step. */
export function killChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
