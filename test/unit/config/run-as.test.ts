import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { CheckedApp } from '../../../src/config/check-app.js';
import { loadDesiredState } from '../../../src/config/index.js';
import { nowhere } from '../../../src/config/locator.js';
import { Report } from '../../../src/config/report.js';
import { resolveRunAs, warnUnreachable } from '../../../src/config/run-as.js';
import { appOf, baseOptions, desiredOf, lines, tendErrorOf } from './helpers.js';

// The machine's own database is the reference: `nobody` and `root` exist on every Linux, with ids that vary little.
function passwd(name: string): { uid: number; gid: number; home: string } {
  const [, , uid, gid, , home] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
  return { uid: Number(uid), gid: Number(gid), home: home! };
}
const nobody = passwd('nobody');

describe('uid / user / gid', () => {
  test('a user name becomes its uid and primary group, and the app gets its HOME, USER and LOGNAME', async () => {
    const app = await appOf({ script: 'app.js', uid: 'nobody' });
    expect([app.run.uid, app.run.gid]).toEqual([nobody.uid, nobody.gid]);
    expect([app.run.env.HOME, app.run.env.USER, app.run.env.LOGNAME]).toEqual([nobody.home, 'nobody', 'nobody']);
    expect([app.envSources.HOME, app.envSources.USER, app.envSources.LOGNAME]).toEqual(['user', 'user', 'user']);
  });

  test('`user` is an alias of `uid`; numbers (or numeric strings) name users and groups by id', async () => {
    expect((await appOf({ script: 'app.js', user: 'nobody' })).run.uid).toBe(nobody.uid);
    const byNumber = await appOf({ script: 'app.js', uid: nobody.uid, gid: 0 });
    expect([byNumber.run.uid, byNumber.run.gid, byNumber.run.env.USER]).toEqual([nobody.uid, 0, 'nobody']);
    expect((await appOf({ script: 'app.js', uid: '0', gid: 'root' })).run).toMatchObject({ uid: 0, gid: 0 });
  });

  test('gid alone sets the group and leaves the user, and its env, to the daemon', async () => {
    const app = await appOf({ script: 'app.js', gid: 'root' });
    expect(app.run.gid).toBe(0);
    expect(app.run).not.toHaveProperty('uid');
    expect(app.envSources.HOME).toBeUndefined();
  });

  test("the app's own env keeps HOME, USER and LOGNAME; the rest come from the user", async () => {
    const app = await appOf(
      { script: 'app.js', uid: 'nobody', env: { HOME: '/srv/app' }, env_prod: { USER: 'svc' } },
      { envName: 'prod' },
    );
    expect([app.run.env.HOME, app.run.env.USER, app.run.env.LOGNAME]).toEqual(['/srv/app', 'svc', 'nobody']);
    expect([app.envSources.HOME, app.envSources.USER, app.envSources.LOGNAME]).toEqual(['env', 'env_prod', 'user']);
  });

  test('an app without them has no uid or gid in its spec (specs saved before compare equal)', async () => {
    const app = await appOf({ script: 'app.js' });
    expect(Object.keys(app.run)).not.toContain('uid');
    expect(Object.keys(app.run)).not.toContain('gid');
  });

  test('both `uid` and `user` is a problem; so is a negative id or an empty name', async () => {
    const error = await tendErrorOf(() =>
      desiredOf([
        { script: 'app.js', uid: 'nobody', user: 'root' },
        { script: 'app.js', name: 'b', uid: -1, gid: ' ' },
      ]),
    );
    expect(lines(error.problems)).toEqual([
      'apps[0].user: `user` and `uid` both set `uid`; keep one',
      'apps[1].uid: expected a user name or id; got -1',
      'apps[1].gid: expected a group name or id; got " "',
    ]);
  });
});

describe('unknown users and groups are reported where they are written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-run-as-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('file:line:column, the key as written, and what was looked up', async () => {
    writeFileSync(join(dir, 'app.js'), '');
    const file = join(dir, 'ecosystem.yml');
    writeFileSync(
      file,
      [
        'apps:',
        '  - name: a',
        '    script: app.js',
        '    user: no-such-user-tend',
        '  - name: b',
        '    script: app.js',
        '    uid: 4000000001',
        '    gid: no-such-group-tend',
        '',
      ].join('\n'),
    );
    const error = await tendErrorOf(() => loadDesiredState(file, baseOptions));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(lines(error.problems)).toEqual([
      '4:11 apps[0].user: unknown user `no-such-user-tend` (`getent passwd no-such-user-tend` finds none)',
      '7:10 apps[1].uid: no user has uid 4000000001 (`getent passwd 4000000001` finds none)',
      '8:10 apps[1].gid: unknown group `no-such-group-tend` (`getent group no-such-group-tend` finds none)',
    ]);
  });
});

describe('only root can switch users', () => {
  const app = (values: Record<string, unknown>, written: Record<string, string> = {}): CheckedApp => ({
    values,
    written,
    path: ['apps', 0],
    index: 0,
  });
  const ann = { uid: 1000, gid: 1000, name: 'ann' };

  test('tend not running as root: another uid (or gid) is a problem at the key that asks for it', () => {
    const report = new Report(nowhere);
    resolveRunAs(app({ uid: 'nobody' }, { uid: 'user' }), report, ann);
    resolveRunAs(app({ gid: 0 }), report, ann);
    expect(lines(report.problems)).toEqual([
      'apps[0].user: running an app as another user or group needs tend to run as root, and it runs as ann (uid 1000, gid 1000); run tend as root, or remove `user`',
      'apps[0].gid: running an app as another user or group needs tend to run as root, and it runs as ann (uid 1000, gid 1000); run tend as root, or remove `gid`',
    ]);
  });

  test("tend's own uid and gid are allowed without root; root may take any", () => {
    const report = new Report(nowhere);
    const self = { uid: nobody.uid, gid: nobody.gid, name: 'nobody' };
    expect(resolveRunAs(app({ uid: 'nobody' }), report, self)).toMatchObject({ uid: nobody.uid, gid: nobody.gid });
    expect(resolveRunAs(app({ uid: 'nobody', gid: 0 }), report, { uid: 0, gid: 0, name: 'root' })).toMatchObject({
      uid: nobody.uid,
      gid: 0,
    });
    expect(report.problems).toEqual([]);
  });
});

describe('a folder or script the user cannot reach', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-reach-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const app: CheckedApp = { values: { uid: 'nobody' }, written: { uid: 'user' }, path: ['apps', 0], index: 0 };
  const runAs = { uid: nobody.uid, gid: nobody.gid, user: { name: 'nobody', ...nobody } };

  test('is a warning at the key, naming the step that stops it (by the permission bits)', () => {
    chmodSync(dir, 0o755);
    const open = join(dir, 'open');
    const closed = join(dir, 'closed');
    mkdirSync(open, { mode: 0o755 });
    mkdirSync(closed, { mode: 0o700 });
    writeFileSync(join(open, 'app.js'), '', { mode: 0o644 });
    writeFileSync(join(open, 'secret.js'), '', { mode: 0o600 });
    const owner = `owner uid ${process.getuid!()}, gid ${process.getgid!()}`;
    const report = new Report(nowhere);
    warnUnreachable(runAs, { cwd: open, script: join(open, 'app.js') }, app, report);
    expect(report.warnings).toEqual([]);
    warnUnreachable(runAs, { cwd: closed, script: join(open, 'app.js') }, app, report);
    warnUnreachable(runAs, { cwd: open, script: join(open, 'secret.js') }, app, report);
    // Root is not judged by the bits.
    warnUnreachable({ uid: 0, gid: 0 }, { cwd: closed, script: null }, app, report);
    expect(lines(report.warnings)).toEqual([
      `apps[0].user: nobody cannot enter ${closed} (mode 700, ${owner}); the app will fail to start unless an ACL allows it`,
      `apps[0].user: nobody cannot read ${join(open, 'secret.js')} (mode 600, ${owner}); the app will fail to start unless an ACL allows it`,
    ]);
  });
});
