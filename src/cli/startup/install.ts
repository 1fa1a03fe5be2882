import { type InitSystem, type Shell, type StartupPorts, type Tool, toolPath } from './systems.js';
import type { StartupSpec } from './spec.js';

/** What `tend startup`/`tend unstartup` did, step by step; `failed` is the command that stopped it, if one did. */
export interface StartupOutcome {
  file: string;
  /** The unit file was written (startup) or removed (unstartup) by this run. */
  changed: boolean;
  /** Every command run, in order; a question (is it enabled?) changes nothing. */
  ran: Array<{ argv: string[]; question: boolean }>;
  failed?: { argv: string[]; code: number; output: string };
}

class StartupFailure extends Error {
  constructor(readonly failure: NonNullable<StartupOutcome['failed']>) {
    super(`${failure.argv.join(' ')} exited ${failure.code}`);
  }
}

function shell(ports: StartupPorts, env: NodeJS.ProcessEnv, ran: StartupOutcome['ran']): Shell {
  return {
    tool: (tool: Tool) => toolPath(tool, env),
    must(argv) {
      ran.push({ argv, question: false });
      const { code, output } = ports.run(argv);
      if (code !== 0) throw new StartupFailure({ argv, code, output });
    },
    check(argv) {
      ran.push({ argv, question: true });
      return ports.run(argv).code === 0;
    },
    exists: (path) => ports.exists(path),
  };
}

/**
 * Writes the unit unless it already says the same, then enables it unless it is enabled: a second run with the same
 * spec writes nothing and enables nothing.
 */
export function installUnit(
  system: InitSystem,
  spec: StartupSpec,
  file: string,
  ports: StartupPorts,
  env: NodeJS.ProcessEnv,
): StartupOutcome {
  const text = system.render(spec);
  const changed = ports.readFile(file) !== text;
  const ran: StartupOutcome['ran'] = [];
  if (changed) ports.writeFile(file, text, system.mode);
  return settle({ file, changed, ran }, () => system.enable(spec, file, changed, shell(ports, env, ran)));
}

/** Disables the unit if it is enabled and removes its file; with no file there, it only disables (and says so). */
export function uninstallUnit(
  system: InitSystem,
  spec: StartupSpec,
  file: string,
  ports: StartupPorts,
  env: NodeJS.ProcessEnv,
): StartupOutcome {
  const ran: StartupOutcome['ran'] = [];
  const present = ports.exists(file);
  return settle({ file, changed: present, ran }, () => {
    const sh = shell(ports, env, ran);
    system.disable(spec, file, sh);
    if (!present) return;
    ports.removeFile(file);
    system.forget(spec, sh);
  });
}

function settle(outcome: StartupOutcome, steps: () => void): StartupOutcome {
  try {
    steps();
  } catch (err) {
    if (!(err instanceof StartupFailure)) throw err;
    outcome.failed = err.failure;
  }
  return outcome;
}
