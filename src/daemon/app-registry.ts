import { selectTargets, type TargetSelection } from '../api/selectors.js';
import type { AppOwner, AppSpec } from '../config/types.js';
import type { ObservedApp } from '../plan/types.js';
import type { CarriedCounters } from '../supervisor/process.types.js';
import { ManagedProcess, type AdoptInfo, type Launcher } from './managed-process.js';
import type { ProcessOs } from './process-os.js';

/** How a new process starts: at once or stopped, under which id, taking back a live process or a predecessor's counters. */
export interface NewProcessOptions {
  autostart: boolean;
  id?: number;
  adopt?: AdoptInfo;
  carry?: CarriedCounters;
}

export interface ManagedApp {
  spec: AppSpec;
  /** Who applied it last (GitOps ownership); null for an app from before owners. */
  owner?: AppOwner | null;
  /** By instance index. */
  processes: Map<number, ManagedProcess>;
}

/** The daemon's table of apps and their processes, and the ids it hands out (PM2's pm_id). */
export class AppRegistry {
  readonly apps = new Map<string, ManagedApp>();
  nextId = 0;
  /** Where the messages apps send over their IPC channels go (the daemon's event bus); set once by the daemon. */
  onAppMessage: ((process: ManagedProcess, message: unknown) => void) | null = null;
  /** Whether the daemon holds every socket of the spec's `listen` (a fork app's reload rolls only then); set by the daemon. */
  holdsSockets: ((spec: AppSpec) => boolean) | null = null;
  /** Called with the name of an app whose last process went (its held sockets close); set once by the daemon. */
  onAppGone: ((name: string) => void) | null = null;
  private sorted: ManagedProcess[] | null = null;

  constructor(
    private readonly onChange: (process: ManagedProcess) => void,
    private readonly launcherFor: (spec: AppSpec) => Launcher,
    private readonly extraEnv: Record<string, string> = {},
    private readonly os?: ProcessOs,
  ) {}

  /** Whole observed state, as the planner wants it. */
  observe(): ObservedApp[] {
    return [...this.apps.values()].map((app) => ({
      name: app.spec.name,
      spec: app.spec,
      owner: app.owner ?? null,
      instances: [...app.processes.values()].map((p) => ({
        id: p.id,
        instance: p.instance,
        status: p.status,
        pid: p.pid,
      })),
    }));
  }

  /** Every process by id; the same array until one is added, replaced or removed (it is read each second). */
  processes(): readonly ManagedProcess[] {
    this.sorted ??= [...this.apps.values()].flatMap((app) => [...app.processes.values()]).sort((a, b) => a.id - b.id);
    return this.sorted;
  }

  /** Records `owner` on each of these apps that exists (those an apply names, once it has them). */
  setOwner(names: readonly string[], owner: AppOwner | null | undefined): void {
    if (!owner) return;
    for (const name of names) {
      const app = this.apps.get(name);
      if (app) app.owner = owner;
    }
  }

  /** A new process of `spec`'s app under `instance`; an app seen for the first time is stored with `spec`. */
  add(spec: AppSpec, instance: number, options: NewProcessOptions): ManagedProcess {
    let app = this.apps.get(spec.name);
    if (!app) {
      app = { spec, processes: new Map() };
      this.apps.set(spec.name, app);
    }
    const id = options.id ?? this.nextId;
    this.nextId = Math.max(this.nextId, id + 1);
    const process = this.create(spec, instance, { ...options, id });
    app.processes.set(instance, process);
    this.sorted = null;
    return process;
  }

  /** A process not yet in the table: the new instance of a rolling reload, swapped in once it is ready. */
  create(spec: AppSpec, instance: number, options: NewProcessOptions & { id: number }): ManagedProcess {
    return new ManagedProcess({
      id: options.id,
      instance,
      spec,
      autostart: options.autostart,
      adopt: options.adopt,
      carry: options.carry,
      onChange: this.onChange,
      onMessage: (p, message) => this.onAppMessage?.(p, message),
      launcherFor: this.launcherFor,
      extraEnv: this.extraEnv,
      os: this.os,
    });
  }

  /**
   * Makes `spec` the app's stored spec: what the planner compares the file with, and what a later `tend start` or
   * restart uses. The executor calls it once per action it completed; an action that failed part-way (a reload
   * stopped at an instance that did not come up) leaves the old spec, so the next apply tries again.
   */
  setSpec(name: string, spec: AppSpec): void {
    const app = this.apps.get(name);
    if (app) app.spec = spec;
  }

  /** Puts a reloaded instance in place of the old one, which the caller then stops. */
  replace(fresh: ManagedProcess): void {
    const app = this.apps.get(fresh.name);
    if (!app) return;
    app.processes.set(fresh.instance, fresh);
    this.sorted = null;
  }

  remove(process: ManagedProcess): void {
    const app = this.apps.get(process.name);
    if (!app) return;
    app.processes.delete(process.instance);
    this.sorted = null;
    process.dispose();
    if (app.processes.size === 0) {
      this.apps.delete(process.name);
      this.onAppGone?.(process.name);
    }
    // PM2's habit: ids start again from 0 once nothing is managed.
    if (this.apps.size === 0) this.nextId = 0;
  }

  /**
   * The processes targets select: `all`, a name, a namespace, a script path, `/regex/` on names, or an id (after names:
   * an app named `3` is found by its name); see src/api/selectors.ts. Targets that select nothing are listed back.
   */
  resolve(selection: TargetSelection): { processes: ManagedProcess[]; unknown: string[] } {
    const { selected, unknown } = selectTargets(this.processes(), selection, (p) => ({
      id: p.id,
      name: p.name,
      namespace: p.spec.namespace,
      script: p.spec.run.script,
    }));
    return { processes: selected, unknown };
  }
}
