/** Every default tend applies, in one place. PM2's value is kept unless a line says why not. */
export const defaults = {
  /** Instances per app when `instances` is not set. */
  instances: 1,
  /** Time the daemon spends forking per turn of its event loop (ms; src/runtime/spawn-pacer.ts). */
  spawnBudgetMs: 20,
  /** Restart a process that exits, unless its exit code is in stop_exit_codes. */
  autorestart: true,
  /** Unstable restarts (exit within min_uptime) before the process is marked errored. */
  maxRestarts: 16,
  /** A process that lived shorter than this counts as an unstable restart (ms). */
  minUptimeMs: 1000,
  /** Fixed wait before a restart (ms). */
  restartDelayMs: 0,
  /** Cap of the exponential backoff (ms), as PM2. */
  expBackoffMaxMs: 15_000,
  /** Each consecutive restart multiplies the backoff by this, as PM2. */
  expBackoffFactor: 1.5,
  /** Uptime after which the backoff starts again from its first value (ms), as PM2. */
  expBackoffResetMs: 30_000,
  /** Signal sent first on stop, as PM2. */
  killSignal: 'SIGINT' as NodeJS.Signals,
  /** Grace between the kill signal and SIGKILL (ms), as PM2. */
  killTimeoutMs: 1600,
  /** How long a reload waits for a new instance to be ready (ms), as PM2. */
  listenTimeoutMs: 3000,
  /** How often memory is sampled (ms): PM2 checks every 30 s; a limit must act within 2 s. */
  memorySampleIntervalMs: 1000,
  /**
   * Which apps each sampler tick reads (ticks of `memorySampleIntervalMs`; runtime/sample-schedule.ts): apps with a
   * memory limit every tick; of the others at least `minPerTick`, each at least every `roundTicks`; all of them for
   * `lookTicks` after a `list`/`show` (monit, the dashboard). /proc is listed for new children every `walkEveryTicks`
   * while a limit, a new app or a look needs trees, else every `idleWalkEveryTicks`.
   */
  usageSchedule: { minPerTick: 20, roundTicks: 5, lookTicks: 3, walkEveryTicks: 3, idleWalkEveryTicks: 15 },
  /** Quiet time after a burst of file changes before the restart (ms). */
  watchDelayMs: 0,
  /** Folders never watched, whatever the app says. */
  watchIgnore: ['**/node_modules/**', '**/.git/**', '**/.*'],
  /** Env var that carries the instance index, as PM2. */
  instanceVar: 'NODE_APP_INSTANCE',
  /** Namespace of an app that names none. */
  namespace: 'default',
  /** An instance must stay online this long (or min_uptime if shorter) before `apply` calls it up (ms). */
  applySettleMs: 200,
  /**
   * Longest a JS ecosystem file may take to load (ms), its promise included; TEND_CONFIG_TIMEOUT or `--load-timeout`
   * override it. A config that hangs must fail a CI run, not hold it until the job's own limit.
   */
  configLoadTimeoutMs: 10_000,
  /** Most instances one app may ask for (each is a process); TEND_MAX_INSTANCES raises it. */
  maxInstancesPerApp: 1024,
  /** Most processes one file may ask for, over all its apps; TEND_MAX_PROCESSES raises it. */
  maxProcessesPerFile: 10_000,
  /** Lines `tend logs` prints before it follows, as PM2. */
  logLines: 15,
  /**
   * Time a SIGKILLed process tree gets to disappear (ms): a stop waits at most kill_timeout plus this before it moves on,
   * and a tree still there after it is reported as survivors.
   */
  sigkillWaitMs: 2000,
  /** Shortest quiet time after a file change before a watch restart (ms): one save often writes several events. */
  watchMinQuietMs: 100,
  /** How often `tend logs` checks a followed file for new lines (ms). */
  followPollMs: 200,
  /** Start an app when its file is applied (PM2: autostart); false registers it stopped. */
  autostart: true,
  /** An app is ready as soon as it starts, unless it asks to signal readiness itself (PM2: wait_ready). */
  waitReady: false,
  /** `ready:`: time between two readiness checks while an instance starts (ms). */
  readyIntervalMs: 500,
  /** `health:`: time between two liveness checks (ms). */
  healthIntervalMs: 5000,
  /** How long one readiness or liveness check may take before it counts as failed (ms). */
  checkTimeoutMs: 2000,
  /** `ready.threshold`: consecutive passes that make an instance ready. */
  readyThreshold: 1,
  /** `health.failures`: consecutive failed liveness checks before the instance is restarted (docker's retries). */
  healthFailures: 3,
  /** `health.start_period`: failures this soon after the spawn do not count (ms). */
  healthStartPeriodMs: 0,
  /** Shortest time between two runs of the daemon's one check timer (ms): checks due within it start together. */
  checkTickMs: 100,
  /** Stop apps with a signal, not the IPC message 'shutdown' (PM2: shutdown_with_message). */
  shutdownWithMessage: false,
  /** How often `tend monit` asks the daemon for the process list (ms); PM2's monit polls every 800 ms. */
  monitPollMs: 1000,
  /** Shortest time between two `tend monit` frames (ms): about 4 a second, enough for logs and cheap on CPU. */
  monitFrameMs: 250,
  /** CPU and memory samples `tend monit` keeps per process for its sparklines (one per poll). */
  monitHistorySamples: 120,
  /** Log lines `tend monit` keeps for the selected process. */
  monitLogLines: 200,
  /** Port of the web dashboard and /metrics (PM2's web API uses the same). */
  dashboardPort: 9615,
  /** Address the web dashboard binds to: loopback only unless the user asks. */
  dashboardHost: '127.0.0.1',
  /** A process's CPU/memory history for charts: its last 300 samples (5 minutes at 1 s), and 10 s points over the hour. */
  usageHistory: { recentPoints: 300, bucketMs: 10_000, olderPoints: 360 },
  /** Log lines of each file a dashboard page gets when it opens. */
  dashboardBacklogLines: 200,
  /** Most log lines of one file sent to the page per flush; a flood beyond that is counted, not sent. */
  dashboardMaxLinesPerFlush: 500,
  /** Quiet time that merges a burst of state changes into one dashboard update (ms). */
  dashboardChangeDebounceMs: 50,
  /**
   * How long after an app starts its probe starts measuring and connects (ms). Loading node:net and perf_hooks and
   * connecting costs a bare Node boot about a quarter more; after a second that work no longer competes with the app's
   * own start, nor with the other apps an apply or a resurrect starts at once. Its first report was due then anyway.
   */
  probeStartDelayMs: 1000,
  /** How long `tend trigger` waits, past the probe's start delay, for the probe of an app that just started (ms). */
  probeHelloGraceMs: 1000,
  /** How often the in-app probe reports to the daemon (ms) while someone reads the figures; PM2's agent pushes every 990 ms. */
  probeIntervalMs: 1000,
  /** While nobody reads the figures, a probe sends one report in this many intervals (the last interval's figures). */
  probeIdleEvery: 10,
  /** How long after the last read of the figures (ls, show, monit, a dashboard, /metrics) the probes keep reporting every interval (ms). */
  probeReadHoldMs: 15_000,
  /** First wait of the probe before it tries a vanished daemon again (ms); doubled each failure. */
  probeReconnectMinMs: 250,
  /** Longest wait between two probe reconnection attempts (ms): metrics resume within this after a daemon comes back. */
  probeReconnectMaxMs: 4000,
  /**
   * How long `tend kill` waits, once the daemon has stopped every app, for the last processes of the home to exit
   * (the daemon itself, cluster primaries, log writers) before it names those still there (ms).
   */
  killLeftoverWaitMs: 5000,
  /** How long `tend trigger` waits for each instance's answer (ms). */
  triggerTimeoutMs: 5000,
  /** Line prefix format of `time: true` (PM2's). */
  logTimeFormat: 'YYYY-MM-DDTHH:mm:ss',
  /** Longest line the log writer holds waiting for its newline; a longer one is cut there, so its memory stays bounded. */
  logMaxLineBytes: 1024 * 1024,
  /** Size at which a log file is rotated when rotation is on but `max_size` is not set (pm2-logrotate's default). */
  rotateMaxBytes: 10 * 1024 * 1024,
  /** Rotated files kept per log file when `retain` is not set. */
  rotateRetain: 10,
  /** Date in rotated file names when `date_format` is not set: `api-out__2026-11-22_05-50-00.log` (pm2-logrotate's). */
  rotateDateFormat: 'YYYY-MM-DD_HH-mm-ss',
  /** A rotation lock older than this (ms) was left by a writer that died mid-rotation and is taken over. */
  rotateLockStaleMs: 10_000,
  /** How long the log writer waits before writing again after the disk refused (ENOSPC, EIO, EACCES) (ms). */
  logWriteRetryMs: 1000,
  /** What the log writer holds while its file cannot be written; beyond it, lines are dropped and counted, never the app blocked. */
  logStalledMaxBytes: 4 * 1024 * 1024,
  /** How long a writer whose app has ended keeps trying a file the disk refuses before it drops what it holds (ms). */
  logWriterGiveUpMs: 60_000,
  /** A log disk with less room than this is reported as full: the next lines an app writes straight to it would fail. */
  logDiskMinFreeBytes: 1024 * 1024,
  /** How often the daemon checks that every log file can still be written and its disk has room (ms). */
  logHealthEveryMs: 5000,
  /** One periodic log check in this many also checks each file's own permission (the others: folders and free space only). */
  logHealthFileEvery: 6,
  /** How often a log writer checks that its file is still the one at its path (deleted, or moved by logrotate) (ms). */
  logPathCheckMs: 1000,
  /** How often lines an app writes into a deleted log file are copied into the file made again at its path (ms). */
  logRescueEveryMs: 1000,
  /** How long `ls`/`show` name lines an app lost when its direct writes failed on a full disk (ms). */
  logLossNoticeMs: 60 * 60 * 1000,
  /** Time a profile may take past its duration (writing it; a heap snapshot of a big heap) before it is given up (ms). */
  profileSlackMs: 120_000,
  /** Releases `tend deploy` keeps on each host (`keep`); the current one is never removed. */
  deployKeep: 5,
  /** The git ref `tend deploy` deploys when a target names none (`ref`). */
  deployRef: 'origin/main',
} as const;

/** PATH given to apps started by `tend apply`, so the result does not depend on the caller's shell. */
export const APPLY_BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Wire protocol version of the control socket; a CLI and a daemon with different versions refuse each other politely. */
export const PROTOCOL_VERSION = 1;
