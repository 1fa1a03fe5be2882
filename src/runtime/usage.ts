/** CPU (percent of one core, may exceed 100 on several cores) and RSS (bytes) of one process or one tree. */
export interface Usage {
  cpu: number;
  rss: number;
}

/** Root pid → usage of its whole tree, or null when the root could not be sampled (gone). */
export type UsageSamples = Map<number, Usage | null>;
