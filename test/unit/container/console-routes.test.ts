import { describe, expect, test } from 'vitest';
import { routeToConsole } from '../../../src/container/console-routes.js';
import { makeDesired, makeSpec } from '../../fixtures/specs.js';

const home = '/h';
const defaultLogs = (name: string) => ({ out: `/h/logs/${name}-out.log`, err: `/h/logs/${name}-err.log` });

describe("which of an app's streams tend-runtime prints", () => {
  test('no file named: both streams go to FIFOs, one per instance', () => {
    const spec = makeSpec('web', { instances: 2, logs: { ...defaultLogs('web'), merge: true } });
    const { desired, streams } = routeToConsole(makeDesired([spec]), home);
    expect(desired.apps[0]!.logs).toMatchObject({
      out: '/h/console/web-out.fifo',
      err: '/h/console/web-err.fifo',
      merge: false,
    });
    expect(streams).toEqual([
      { fifo: '/h/console/web-out-0.fifo', app: 'web', instance: 0, stream: 'out' },
      { fifo: '/h/console/web-err-0.fifo', app: 'web', instance: 0, stream: 'err' },
      { fifo: '/h/console/web-out-1.fifo', app: 'web', instance: 1, stream: 'out' },
      { fifo: '/h/console/web-err-1.fifo', app: 'web', instance: 1, stream: 'err' },
    ]);
  });

  test('out_file named: stdout keeps its file, stderr comes to the console, shared by the instances as before', () => {
    const spec = makeSpec('web', {
      instances: 2,
      logs: { out: '/var/log/web.log', err: defaultLogs('web').err, merge: true },
    });
    const { desired, streams } = routeToConsole(makeDesired([spec]), home);
    expect(desired.apps[0]!.logs).toMatchObject({
      out: '/var/log/web.log',
      err: '/h/console/web-err.fifo',
      merge: true,
    });
    expect(streams).toEqual([{ fifo: '/h/console/web-err.fifo', app: 'web', instance: null, stream: 'err' }]);
  });

  test('disable_logs and files named for both streams: nothing comes to the console, the spec is unchanged', () => {
    const silent = makeSpec('silent', { logs: { out: null, err: null } });
    const filed = makeSpec('filed', { logs: { out: '/var/log/a.log', err: '/dev/null' } });
    const { desired, streams } = routeToConsole(makeDesired([silent, filed]), home);
    expect(desired.apps).toEqual([silent, filed]);
    expect(streams).toEqual([]);
  });

  test('log_file named: the streams still come to the console, and the combined file keeps its naming', () => {
    const spec = makeSpec('web', {
      instances: 2,
      logs: { ...defaultLogs('web'), merge: true, combined: '/var/log/web.log' },
    });
    const { desired, streams } = routeToConsole(makeDesired([spec]), home);
    expect(desired.apps[0]!.logs).toMatchObject({
      out: '/h/console/web-out.fifo',
      merge: true,
      combined: '/var/log/web.log',
    });
    expect(streams.map((s) => s.fifo)).toEqual(['/h/console/web-out.fifo', '/h/console/web-err.fifo']);
  });
});
