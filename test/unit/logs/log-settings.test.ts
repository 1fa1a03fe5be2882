import { describe, expect, test } from 'vitest';
import { Report } from '../../../src/config/report.js';
import { nowhere } from '../../../src/config/locator.js';
import { appsOf } from '../../../src/config/shape.js';
import { needsWriter } from '../../../src/logs/writer-config.js';
import { appOf, desiredOf } from '../config/helpers.js';

/** The apps of a whole ecosystem object, top-level keys included. */
async function appsOfFile(file: Record<string, unknown>) {
  const report = new Report(nowhere);
  const entries = appsOf(file, report);
  return { report, apps: report.problems.length > 0 ? [] : (await desiredOf(entries.map((e) => e.raw))).apps };
}

describe('log settings of an app', () => {
  test('an app with none keeps the direct path (no writer)', async () => {
    const app = await appOf({ script: 'app.js' });
    expect(app.logs).toEqual({
      out: '/home/ann/.tend/logs/app-out.log',
      err: '/home/ann/.tend/logs/app-err.log',
      merge: true,
    });
    expect(needsWriter(app.logs)).toBe(false);
  });

  test("time: true is PM2's format; log_date_format wins; both go through the writer without a warning", async () => {
    const desired = await desiredOf([{ script: 'app.js', time: true }]);
    expect(desired.apps[0]!.logs.dateFormat).toBe('YYYY-MM-DDTHH:mm:ss');
    expect(desired.warnings).toEqual([]);
    expect((await appOf({ script: 'app.js', time: true, log_date_format: 'HH:mm' })).logs.dateFormat).toBe('HH:mm');
    expect(needsWriter((await appOf({ script: 'app.js', log_type: 'json' })).logs)).toBe(true);
  });

  test('one rotation key turns rotation on with the other defaults', async () => {
    expect((await appOf({ script: 'app.js', max_size: '10K' })).logs.rotate).toEqual({
      maxBytes: 10240,
      retain: 10,
      compress: false,
      dateFormat: 'YYYY-MM-DD_HH-mm-ss',
    });
    expect((await appOf({ script: 'app.js', compress: true, retain: 3 })).logs.rotate).toEqual({
      maxBytes: 10 * 1024 * 1024,
      retain: 3,
      compress: true,
      dateFormat: 'YYYY-MM-DD_HH-mm-ss',
    });
  });

  test('cluster apps take the same log settings as fork apps, through a writer, with no warning', async () => {
    const desired = await desiredOf([
      { script: 'app.js', exec_mode: 'cluster', time: true, max_size: '1M', log_type: 'raw' },
    ]);
    expect(desired.warnings).toEqual([]);
    expect(needsWriter(desired.apps[0]!.logs)).toBe(true);
  });

  test('disable_logs turns the writer off whatever else is set', async () => {
    expect(needsWriter((await appOf({ script: 'app.js', disable_logs: true, time: true, max_size: '1M' })).logs)).toBe(
      false,
    );
  });
});

describe('top-level log_rotate', () => {
  test("applies to every app; an app's own keys override it one by one", async () => {
    const { apps } = await appsOfFile({
      log_rotate: { max_size: '1M', retain: 5, compress: true },
      apps: [
        { script: 'app.js', name: 'a' },
        { script: 'app.js', name: 'b', retain: 2, maxSize: '2M' },
      ],
    });
    expect(apps.map((a) => a.logs.rotate)).toEqual([
      { maxBytes: 1024 * 1024, retain: 5, compress: true, dateFormat: 'YYYY-MM-DD_HH-mm-ss' },
      { maxBytes: 2 * 1024 * 1024, retain: 2, compress: true, dateFormat: 'YYYY-MM-DD_HH-mm-ss' },
    ]);
  });

  test('a wrong value or an unknown key is reported where it is written', async () => {
    const { report } = await appsOfFile({ log_rotate: { max_size: 'lots', retian: 3 }, apps: [{ script: 'app.js' }] });
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^expected a size.*; got "lots"$/),
      'unknown key `retian` in `log_rotate`; did you mean `retain`?',
    ]);
  });
});
