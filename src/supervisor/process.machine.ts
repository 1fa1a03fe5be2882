import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import { defaults } from '../core/defaults.js';
import { decideAfterExit, type ExitDecision, isOverMemoryLimit } from './restart-policy.js';
import type { ProcessStatus } from './status.js';
import type { ProcessContext, ProcessEvent, ProcessInput, RestartReason, SignalParams } from './process.types.js';

export type {
  AdoptedProcess,
  ProcessContext,
  ProcessEvent,
  ProcessInput,
  RestartReason,
  SignalParams,
} from './process.types.js';

/** The time a state change happened: the event's own `at`, or the derived time of the timer that fired. */
function eventTime(context: ProcessContext, event: object): number {
  const at = (event as { at?: unknown }).at;
  return typeof at === 'number' ? at : context.timerAt;
}

function exitDecision(context: ProcessContext, event: ProcessEvent): ExitDecision {
  assertEvent(event, 'EXITED');
  const counters = {
    restarts: context.restarts,
    unstableRestarts: context.unstableRestarts,
    backoffDelayMs: context.backoffDelayMs,
  };
  const exit = { code: event.code, signal: event.signal, onlineSince: context.onlineSince };
  return decideAfterExit(context.policy, counters, exit, event.at, context.name);
}

/** An exit the liveness check caused counts as a crash of a process that was up until then. */
function unhealthyDecision(context: ProcessContext, event: ProcessEvent): ExitDecision {
  assertEvent(event, 'EXITED');
  const counters = {
    restarts: context.restarts,
    unstableRestarts: context.unstableRestarts,
    backoffDelayMs: context.backoffDelayMs,
  };
  const exit = { code: null, signal: null, onlineSince: context.onlineSince };
  return decideAfterExit(context.policy, counters, exit, event.at, context.name);
}

function requirePid(context: ProcessContext): number {
  if (context.pid === null) throw new Error('process machine: a signal was due but no pid is known');
  return context.pid;
}

const restartBy = (reason: RestartReason) => ({ type: 'countRestart', params: { reason } }) as const;
/** A RESTART event counts with the reason it carries: by hand unless it says otherwise (the schedule says 'cron'). */
const restartAsAsked = {
  type: 'countRestart',
  params: ({ event }: { event: ProcessEvent }) => ({
    reason: event.type === 'RESTART' ? (event.reason ?? 'manual') : 'manual',
  }),
} as const;
const announce = (status: ProcessStatus) => ({ type: 'notify', params: { status } }) as const;

/**
 * One managed process: its status, counters and timers, as PM2 runs them.
 * Pure: side effects are the named actions the daemon provides, time comes from events and the actor's clock.
 */
export const processMachine = setup({
  types: {
    context: {} as ProcessContext,
    events: {} as ProcessEvent,
    input: {} as ProcessInput,
  },
  actions: {
    /** Ask the runtime to start the process; it answers with SPAWNED or SPAWN_FAILED. */
    spawnProcess: () => {},
    /** Send the kill signal (or the 'shutdown' message) to the process tree. */
    signalProcess: (_args, _params: SignalParams) => {},
    /** SIGKILL the process tree: it outlived kill_timeout. */
    forceKill: (_args, _params: { pid: number }) => {},
    /** Fired on every status change, so the daemon can persist and emit events without subscribing. */
    notify: (_args, _params: { status: ProcessStatus }) => {},

    enterStatus: assign({ stateSince: ({ context, event }) => eventTime(context, event) }),
    settleBoot: assign({ boot: null }),
    recordSpawn: assign({
      pid: ({ event }) => {
        assertEvent(event, 'SPAWNED');
        return event.pid;
      },
    }),
    armReadyDeadline: assign({
      readyDeadline: ({ context, event }) => {
        assertEvent(event, 'SPAWNED');
        return event.at + context.policy.listenTimeoutMs;
      },
    }),
    reachReadyDeadline: assign({ timerAt: ({ context }) => context.readyDeadline ?? context.timerAt }),
    markOnline: assign({
      onlineSince: ({ context, event }) => eventTime(context, event),
      readyDeadline: null,
    }),
    recordSpawnFailure: assign({
      errorMessage: ({ event }) => {
        assertEvent(event, 'SPAWN_FAILED');
        return event.message;
      },
      pid: null,
      startAfterExit: false,
    }),
    recordExit: assign({
      lastExitCode: ({ event }) => {
        assertEvent(event, 'EXITED');
        return event.code;
      },
      lastSignal: ({ event }) => {
        assertEvent(event, 'EXITED');
        return event.signal;
      },
      pid: null,
      onlineSince: null,
      readyDeadline: null,
      readyAt: null,
      unhealthyStop: false,
    }),
    recordReady: assign({
      readyAt: ({ context, event }) => {
        assertEvent(event, 'READY');
        return context.readyAt ?? event.at;
      },
    }),
    recordUnhealthy: assign({
      unhealthyStop: true,
      healthFailure: ({ event }) => {
        assertEvent(event, 'UNHEALTHY');
        return event.reason;
      },
    }),
    cancelUnhealthyStop: assign({ unhealthyStop: false }),
    /** As applyExitDecision, for the exit a liveness restart caused: the backoff and max_restarts apply to it too. */
    applyUnhealthyDecision: assign(({ context, event }) => {
      const decision = unhealthyDecision(context, event);
      if (decision.kind === 'stop') return {};
      if (decision.kind === 'errored') {
        return { unstableRestarts: decision.counters.unstableRestarts, errorMessage: decision.reason };
      }
      return {
        ...decision.counters,
        lastRestartReason: 'health' as const,
        nextRestartAt: decision.delayMs > 0 ? event.at + decision.delayMs : null,
      };
    }),
    applyExitDecision: assign(({ context, event }) => {
      const decision = exitDecision(context, event);
      if (decision.kind === 'stop') return {};
      if (decision.kind === 'errored') {
        return { unstableRestarts: decision.counters.unstableRestarts, errorMessage: decision.reason };
      }
      return {
        ...decision.counters,
        lastRestartReason: 'crash' as const,
        nextRestartAt: decision.delayMs > 0 ? event.at + decision.delayMs : null,
      };
    }),
    countRestart: assign(({ context }, params: { reason: RestartReason }) => ({
      restarts: context.restarts + 1,
      lastRestartReason: params.reason,
    })),
    /** An automatic restart after an exit counts when the process is spawned again, not when it exits (PM2's restart_time). */
    countRespawn: assign({ restarts: ({ context }) => context.restarts + 1 }),
    /** A restart asked for by a person (or a file change) starts the crash history over, as PM2. */
    forgetCrashes: assign({ unstableRestarts: 0, backoffDelayMs: null, errorMessage: null }),
    requestStartAfterExit: assign({ startAfterExit: true }),
    cancelStartAfterExit: assign({ startAfterExit: false }),
    reachRestartTime: assign({
      timerAt: ({ context }) => context.nextRestartAt ?? context.timerAt,
      nextRestartAt: null,
    }),
    cancelRestart: assign({ nextRestartAt: null }),
    resetBackoff: assign({ backoffDelayMs: null }),
    /**
     * PM2's reset zeroes restart_time and unstable_restarts and restarts created_at; uptime counts from now too (a
     * running process keeps running). The crash history goes with the counters: the backoff starts from its first delay.
     */
    resetCounters: assign(({ context, event }) => {
      assertEvent(event, 'RESET_COUNTERS');
      return {
        restarts: 0,
        unstableRestarts: 0,
        backoffDelayMs: null,
        createdAt: event.at,
        onlineSince: context.onlineSince === null ? null : event.at,
      };
    }),
    applyPolicy: assign({
      policy: ({ event }) => {
        assertEvent(event, 'POLICY');
        return event.policy;
      },
    }),
  },
  guards: {
    bootsAdopted: ({ context }) => context.boot === 'adopt',
    bootsLaunching: ({ context }) => context.boot === 'launch',
    waitsForReady: ({ context }) => context.policy.waitReady,
    hasPid: ({ context }) => context.pid !== null,
    startAfterExit: ({ context }) => context.startAfterExit,
    watching: ({ context }) => context.policy.watch !== null,
    overMemoryLimit: ({ context, event }) => {
      assertEvent(event, 'MEMORY');
      return isOverMemoryLimit(context.policy, event.rss);
    },
    autorestarts: ({ context }) => context.policy.autorestart,
    backingOff: ({ context }) => context.backoffDelayMs !== null,
    stoppedUnhealthy: ({ context }) => context.unhealthyStop,
    unhealthyErrors: ({ context, event }) =>
      context.unhealthyStop && unhealthyDecision(context, event).kind === 'errored',
    unhealthyRestartsNow: ({ context, event }) => {
      if (!context.unhealthyStop) return false;
      const decision = unhealthyDecision(context, event);
      return decision.kind === 'restart' && decision.delayMs <= 0;
    },
    exitStops: ({ context, event }) => exitDecision(context, event).kind === 'stop',
    exitErrors: ({ context, event }) => exitDecision(context, event).kind === 'errored',
    exitRestartsNow: ({ context, event }) => {
      const decision = exitDecision(context, event);
      return decision.kind === 'restart' && decision.delayMs <= 0;
    },
  },
  delays: {
    restartDelay: ({ context }) => Math.max(0, (context.nextRestartAt ?? context.stateSince) - context.stateSince),
    killTimeout: ({ context }) => context.policy.killTimeoutMs,
    listenTimeout: ({ context }) => context.policy.listenTimeoutMs,
    backoffReset: defaults.expBackoffResetMs,
  },
}).createMachine({
  id: 'process',
  context: ({ input }) => ({
    name: input.name ?? '<name>',
    policy: input.policy,
    pid: input.adopt?.pid ?? null,
    restarts: input.adopt?.restarts ?? input.carry?.restarts ?? 0,
    unstableRestarts: input.adopt?.unstableRestarts ?? 0,
    lastExitCode: null,
    lastSignal: null,
    onlineSince: input.adopt?.onlineSince ?? null,
    createdAt: input.adopt?.createdAt ?? input.carry?.createdAt ?? input.at,
    stateSince: input.at,
    nextRestartAt: null,
    backoffDelayMs: null,
    lastRestartReason: null,
    errorMessage: null,
    startAfterExit: false,
    readyDeadline: null,
    readyAt: null,
    unhealthyStop: false,
    healthFailure: null,
    timerAt: input.adopt?.onlineSince ?? input.at,
    // XState picks one fixed initial state; `stopped` doubles as the boot step and hands over at once
    // to `launching` (autostart) or `online` (adopt), without announcing itself.
    boot: input.adopt ? 'adopt' : input.autostart ? 'launch' : null,
  }),
  initial: 'stopped',
  on: {
    POLICY: { actions: 'applyPolicy' },
    RESET_COUNTERS: { actions: 'resetCounters' },
  },
  states: {
    stopped: {
      entry: [
        'enterStatus',
        enqueueActions(({ context, enqueue }) => {
          if (context.boot === null) enqueue(announce('stopped'));
        }),
      ],
      always: [
        // Adopt: a restarted daemon re-attaches to a process that outlived it; it keeps running untouched.
        { guard: 'bootsAdopted', target: 'online', actions: 'settleBoot' },
        { guard: 'bootsLaunching', target: 'launching', actions: 'settleBoot' },
      ],
      on: {
        START: { target: 'launching', actions: 'forgetCrashes' },
        RESTART: { target: 'launching', actions: [restartAsAsked, 'forgetCrashes'] },
      },
    },

    launching: {
      entry: ['enterStatus', announce('launching'), 'spawnProcess'],
      initial: 'spawning',
      states: {
        spawning: {
          on: {
            SPAWNED: [
              { guard: 'waitsForReady', target: 'awaitingReady', actions: ['recordSpawn', 'armReadyDeadline'] },
              { target: '#process.online', actions: 'recordSpawn' },
            ],
            SPAWN_FAILED: { target: '#process.errored', actions: 'recordSpawnFailure' },
          },
        },
        awaitingReady: {
          on: {
            READY: { target: '#process.online', actions: 'recordReady' },
            LISTENING: { target: '#process.online' },
          },
          // PM2 goes online anyway once listen_timeout passes without `ready`.
          after: { listenTimeout: { target: '#process.online', actions: 'reachReadyDeadline' } },
        },
      },
      on: {
        // An exit before it came online is a crash like any other (and always an unstable one).
        EXITED: [
          { guard: 'exitStops', target: 'stopped', actions: 'recordExit' },
          { guard: 'exitErrors', target: 'errored', actions: ['applyExitDecision', 'recordExit'] },
          {
            guard: 'exitRestartsNow',
            target: 'launching',
            reenter: true,
            actions: ['applyExitDecision', 'recordExit', 'countRespawn'],
          },
          { target: 'waiting-restart', actions: ['applyExitDecision', 'recordExit'] },
        ],
        STOP: { target: 'stopping' },
        RESTART: { target: 'stopping', actions: [restartAsAsked, 'forgetCrashes', 'requestStartAfterExit'] },
        FILES_CHANGED: {
          guard: 'watching',
          target: 'stopping',
          actions: [restartBy('watch'), 'forgetCrashes', 'requestStartAfterExit'],
        },
      },
    },

    online: {
      entry: ['markOnline', 'enterStatus', announce('online')],
      // Continuous uptime puts the exponential backoff back to its first value, as PM2.
      // Guarded: most processes never backed off, and 1,000 apps started together would all assign at once 30 s later.
      after: { backoffReset: { guard: 'backingOff', actions: 'resetBackoff' } },
      on: {
        EXITED: [
          { guard: 'exitStops', target: 'stopped', actions: 'recordExit' },
          { guard: 'exitErrors', target: 'errored', actions: ['applyExitDecision', 'recordExit'] },
          {
            guard: 'exitRestartsNow',
            target: 'launching',
            actions: ['applyExitDecision', 'recordExit', 'countRespawn'],
          },
          { target: 'waiting-restart', actions: ['applyExitDecision', 'recordExit'] },
        ],
        STOP: { target: 'stopping' },
        RESTART: { target: 'stopping', actions: [restartAsAsked, 'forgetCrashes', 'requestStartAfterExit'] },
        READY: { actions: 'recordReady' },
        // Without autorestart the liveness check only reports: the app is left as it is, as after a crash it would be.
        UNHEALTHY: { guard: 'autorestarts', target: 'stopping', actions: 'recordUnhealthy' },
        // A memory restart is neither a crash nor a person's request: the crash history stays as it is.
        MEMORY: {
          guard: 'overMemoryLimit',
          target: 'stopping',
          actions: [restartBy('memory'), 'requestStartAfterExit'],
        },
        FILES_CHANGED: {
          guard: 'watching',
          target: 'stopping',
          actions: [restartBy('watch'), 'forgetCrashes', 'requestStartAfterExit'],
        },
      },
    },

    stopping: {
      entry: ['enterStatus', announce('stopping')],
      initial: 'awaitingSpawn',
      states: {
        // Stopped while launching, before the runtime reported a pid: the signal goes out once it does.
        awaitingSpawn: {
          always: { guard: 'hasPid', target: 'signalled' },
          on: {
            SPAWNED: { target: 'signalled', actions: 'recordSpawn' },
            SPAWN_FAILED: [
              { guard: 'startAfterExit', target: '#process.errored', actions: 'recordSpawnFailure' },
              { target: '#process.stopped' },
            ],
          },
        },
        signalled: {
          entry: {
            type: 'signalProcess',
            params: ({ context }) => ({
              pid: requirePid(context),
              signal: context.policy.killSignal,
              withMessage: context.policy.shutdownWithMessage,
            }),
          },
          after: { killTimeout: { target: 'forced' } },
        },
        // SIGKILL sent; only the exit of the main pid ends the stop.
        forced: {
          entry: { type: 'forceKill', params: ({ context }) => ({ pid: requirePid(context) }) },
        },
      },
      on: {
        EXITED: [
          // Stopped by its liveness check: what follows is decided as for a crash (delay, backoff, max_restarts).
          { guard: 'unhealthyErrors', target: 'errored', actions: ['applyUnhealthyDecision', 'recordExit'] },
          {
            guard: 'unhealthyRestartsNow',
            target: 'launching',
            actions: ['applyUnhealthyDecision', 'recordExit', 'countRespawn'],
          },
          { guard: 'stoppedUnhealthy', target: 'waiting-restart', actions: ['applyUnhealthyDecision', 'recordExit'] },
          { guard: 'startAfterExit', target: 'launching', actions: ['recordExit', 'cancelStartAfterExit'] },
          { target: 'stopped', actions: 'recordExit' },
        ],
        // A person's stop, start or restart takes over from the liveness check's.
        STOP: { actions: ['cancelStartAfterExit', 'cancelUnhealthyStop'] },
        START: { actions: ['forgetCrashes', 'requestStartAfterExit', 'cancelUnhealthyStop'] },
        RESTART: { actions: [restartAsAsked, 'forgetCrashes', 'requestStartAfterExit', 'cancelUnhealthyStop'] },
      },
    },

    'waiting-restart': {
      entry: ['enterStatus', announce('waiting-restart')],
      after: { restartDelay: { target: 'launching', actions: ['reachRestartTime', 'countRespawn'] } },
      on: {
        STOP: { target: 'stopped', actions: 'cancelRestart' },
        RESTART: { target: 'launching', actions: ['cancelRestart', restartAsAsked, 'forgetCrashes'] },
        FILES_CHANGED: {
          guard: 'watching',
          target: 'launching',
          actions: ['cancelRestart', restartBy('watch'), 'forgetCrashes'],
        },
      },
    },

    errored: {
      entry: ['enterStatus', announce('errored')],
      on: {
        START: { target: 'launching', actions: 'forgetCrashes' },
        RESTART: { target: 'launching', actions: [restartAsAsked, 'forgetCrashes'] },
      },
    },
  },
});
