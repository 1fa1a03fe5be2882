/**
 * What `tend export` produces: the files of one target engine, and the keys of the ecosystem it could not carry.
 * Everything here is data; the CLI prints or writes it.
 */

/** The engines tend can describe an ecosystem for. */
export const EXPORT_TARGETS = ['kubernetes', 'compose', 'systemd'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** One key of one app that the target has no way to express, and what happens to it there. */
export interface LossyField {
  app: string;
  /** The ecosystem key as a user writes it (`watch`, `exp_backoff_restart_delay`, `ready.log`). */
  key: string;
  /** What the target does instead, for the user. */
  reason: string;
}

/** One output file: its name (a file name, no folder) and its whole text. */
export interface ExportFile {
  name: string;
  text: string;
}

export interface ExportResult {
  files: ExportFile[];
  lossy: LossyField[];
}

/** What the caller knows that the desired state does not hold. */
export interface ExportOptions {
  /** tend's home: a log file under `<home>/logs/` is tend's default, not a path the user chose. */
  home: string;
  /** The project label: the file's `project:`, else its folder's name. */
  project: string;
  /** The folder of the ecosystem file: in a container it is `/app`. */
  projectDir: string;
  /** The ecosystem file as the user named it, for the header comment. */
  sourceLabel: string;
  /** `--image`: the container image of every app (Kubernetes, compose); absent: chosen by interpreter. */
  image?: string;
  /** systemd `User=` of an app that names no `uid`: the user who runs tend (tend runs apps as itself). */
  defaultUser?: string;
}
