/** What `tend deploy FILE TARGET ...` is asked to do on every host of the target. */
export type DeployAction =
  /** clone the repository into PATH/source, make PATH/releases and PATH/shared (pre-setup, post-setup) */
  | { verb: 'setup' }
  /** fetch, make a release of `ref` (or of the ref given), switch `current` to it (pre-deploy, post-deploy) */
  | { verb: 'update'; ref?: string }
  /** switch `current` back `steps` releases, then post-deploy */
  | { verb: 'revert'; steps: number }
  /** print the current release */
  | { verb: 'curr' }
  /** print the release before the current one */
  | { verb: 'prev' }
  /** print every release, the current one marked */
  | { verb: 'list' }
  /** run a shell command in PATH/current */
  | { verb: 'exec'; command: string };

export type DeployVerb = DeployAction['verb'];
