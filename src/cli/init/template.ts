import { stringify } from 'yaml';

/** A YAML scalar as it must be written to read back as this string (quoted only when it has to be). */
function scalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** The first line editors read (yaml-language-server, as the YAML extensions of VS Code and JetBrains use it). */
export function schemaLine(schema: string): string {
  return `# yaml-language-server: $schema=${schema}`;
}

/**
 * `tend init`: one app, the given script, and the keys people reach for first, commented out. Only `name` and
 * `script` are set, so the file passes `tend plan` as written and starts just that script.
 */
export function ecosystemTemplate(options: { schema: string; name: string; script: string; file: string }): string {
  const { name, script, file } = options;
  return `${schemaLine(options.schema)}
# The apps tend keeps running. \`tend plan ${file}\` shows what would change; \`tend apply ${file}\` does it.
apps:
  - name: ${scalar(name)}
    script: ${scalar(script)}
    # args: [--port, "3000"]
    # instances: 2             # or max: one per CPU
    # exec_mode: cluster       # Node.js: the instances share one port, \`tend reload ${name}\` has no downtime
    # env:
    #   NODE_ENV: production
    # env_staging:             # laid over env by \`tend apply ${file} --env staging\`
    #   NODE_ENV: staging
    # max_memory_restart: 300M # restart when the app's memory grows past this
    # watch: true              # restart when a file in its folder changes
    # time: true               # each log line starts with its time
  # - name: worker             # one entry per app
  #   script: worker.js
`;
}
