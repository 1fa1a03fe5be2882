import type { ProcessView } from '../../api/methods.js';

export interface Samples {
  cpu: number[];
  memory: number[];
}

/**
 * CPU and memory of each process over the last samples monit took, for its sparklines: kept by monit itself from the
 * lists it polls, so it needs nothing of the daemon's own usage history (which the web dashboard reads).
 */
export class MonitSamples {
  private readonly byId = new Map<number, Samples>();

  constructor(private readonly capacity: number) {}

  /** Adds one sample per listed process and forgets processes that are gone. */
  record(views: readonly ProcessView[]): void {
    const seen = new Set<number>();
    for (const view of views) {
      seen.add(view.id);
      let samples = this.byId.get(view.id);
      if (!samples) {
        samples = { cpu: [], memory: [] };
        this.byId.set(view.id, samples);
      }
      const online = view.status === 'online';
      samples.cpu.push(online ? view.cpu : 0);
      samples.memory.push(online ? view.memory : 0);
      if (samples.cpu.length > this.capacity) samples.cpu.splice(0, samples.cpu.length - this.capacity);
      if (samples.memory.length > this.capacity) samples.memory.splice(0, samples.memory.length - this.capacity);
    }
    for (const id of [...this.byId.keys()]) if (!seen.has(id)) this.byId.delete(id);
  }

  of(id: number): Samples {
    return this.byId.get(id) ?? { cpu: [], memory: [] };
  }
}
