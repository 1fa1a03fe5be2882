import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, isAlive, TendHarness, until } from './harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(async () => {
  await tend.teardown();
});

const app = (name: string, env = '') =>
  `  - name: ${name}\n    script: ${fixture('forever.js')}\n${env ? `    env: { ${env} }\n` : ''}`;

function git(args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], {
    cwd: tend.work,
    encoding: 'utf8',
  }).trim();
}

async function names(): Promise<string[]> {
  return (await tend.list()).map((p) => p.name).sort();
}

describe('GitOps: owners, scoped prune, saved plans, gates', () => {
  it("one team's --prune deletes only its own apps; the other team's and the command line's stay", async () => {
    const a = tend.write('a.yml', `project: team-a\napps:\n${app('a1')}${app('a2')}`);
    const b = tend.write('b.yml', `apps:\n${app('b1')}`);
    await tend.ok(['apply', a]);
    await tend.ok(['apply', b]);
    await tend.ok(['start', fixture('forever.js'), '--name', 'by-hand']);

    const ls = (await tend.ok(['ls'])).stdout;
    expect(ls).toMatch(/^id\s+name.*\bsource\s*$/m);
    expect(ls).toMatch(/\ba1\b.*\bteam-a\s*$/m);
    expect(ls).toMatch(/\bb1\b.*\bb\.yml\s*$/m);
    expect(ls).toMatch(/\bby-hand\b.*\bcli\s*$/m);

    tend.write('a.yml', `project: team-a\napps:\n${app('a1')}`);
    const plan = await tend.ok(['plan', a, '--prune']);
    expect(plan.stdout).toMatch(/- a2\s+delete/);
    expect(plan.stdout).toMatch(/! b1\s+not in the file; kept \(owned by file:.*b\.yml\)/);
    expect(plan.stdout).toMatch(/! by-hand\s+not in the file; kept \(owned by cli\)/);
    await tend.ok(['apply', a, '--prune']);
    expect(await names()).toEqual(['a1', 'b1', 'by-hand']);

    const listed = JSON.parse((await tend.ok(['ls', '--project', 'team-a', '--json'])).stdout) as Array<{
      name: string;
      source: string;
      owner: { key: string; file: string };
    }>;
    expect(listed.map((p) => [p.name, p.source, p.owner.key, p.owner.file])).toEqual([
      ['a1', 'team-a', 'project:team-a', a],
    ]);
    expect((await tend.ok(['ls', '--file', 'b.yml'])).stdout).toMatch(/\bb1\b/);
  });

  it('an apply naming an app another file applied is refused and changes nothing, unless --take-over', async () => {
    const b = tend.write('b.yml', `apps:\n${app('shared', 'V: "b"')}`);
    const c = tend.write('c.yml', `apps:\n${app('shared', 'V: "c"')}`);
    await tend.ok(['apply', b]);
    const [before] = await tend.list();

    const refused = await tend.run(['apply', c]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/names an app that another owner applied; nothing was changed/);
    expect(refused.stderr).toMatch(/shared is owned by file:.*b\.yml, applied .* by /);
    expect(refused.stderr).toMatch(/--take-over/);
    const [same] = await tend.list();
    expect([same!.pid, same!.restarts]).toEqual([before!.pid, before!.restarts]);

    await tend.ok(['apply', c, '--take-over']);
    const show = (await tend.ok(['show', 'shared'])).stdout;
    expect(show).toMatch(/^owner\s+file:.*c\.yml$/m);
  });

  it('show names the commit, branch and remote of a file in a git work tree, without the credentials of its URL', async () => {
    const file = tend.write('eco.yml', `project: web\napps:\n${app('api')}`);
    git(['init', '-q', '-b', 'main']);
    git(['remote', 'add', 'origin', 'https://deploy:s3cret-token@git.example.com/web.git']);
    git(['add', 'eco.yml']);
    git(['commit', '-qm', 'first']);
    const commit = git(['rev-parse', 'HEAD']);
    await tend.ok(['apply', file]);
    const daemon = tend.daemonPid()!;
    const show = (await tend.ok(['show', 'api'])).stdout;
    expect(show).toContain(`owner commit`);
    expect(show).toContain(`${commit.slice(0, 12)} on main (https://git.example.com/web.git)`);
    expect(show).not.toMatch(/s3cret|uncommitted/);
    expect(show).toMatch(/^applied\s+\d{4}-\d\d-\d\dT.* by \S+$/m);

    // Owners outlive the daemon: they are in its state file, and a new daemon reads them back.
    process.kill(daemon, 'SIGKILL');
    await until(() => !isAlive(daemon), 5000, 'the daemon to die');
    const listed = JSON.parse((await tend.ok(['ls', '--json'])).stdout) as Array<{
      owner: { git: { commit: string } };
    }>;
    expect(listed[0]?.owner.git.commit).toBe(commit);
  });

  it('a saved plan is carried out exactly, and refused with exit 3 once the file or the running apps moved', async () => {
    const file = tend.write('eco.yml', `apps:\n${app('api', 'V: "1"')}${app('worker')}`);
    await tend.ok(['apply', file]);
    tend.write('eco.yml', `apps:\n${app('api', 'V: "2", API_TOKEN: "t0ps3cret"')}${app('worker')}`);
    const planFile = join(tend.work, 'plan.json');
    const planned = await tend.ok(['plan', file, '-o', planFile]);
    expect(planned.stdout).toMatch(/~ api\s+restart 1 instance/);
    expect(statSync(planFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(planFile, 'utf8')).not.toContain('t0ps3cret');

    // A pid that changed in a restart of an app the plan leaves alone does not make it stale.
    await tend.ok(['restart', 'worker']);
    const applied = await tend.ok(['apply', planFile]);
    expect(applied.stdout).toMatch(/~ api\s+restart 1 instance/);
    const api = (await tend.list()).find((p) => p.name === 'api')!;

    // Applied once, the plan no longer matches what runs.
    const again = await tend.run(['apply', planFile]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(
      /saved plan is stale, nothing was changed: the running apps changed since the plan was made: api changed/,
    );

    await tend.ok(['plan', file, '-o', planFile]);
    tend.write('eco.yml', `apps:\n${app('api', 'V: "3"')}${app('worker')}`);
    const edited = await tend.run(['apply', planFile]);
    expect(edited.code).toBe(3);
    expect(edited.stderr).toMatch(/eco\.yml \(or an env_file it reads\) changed since the plan was made/);
    const same = (await tend.list()).find((p) => p.name === 'api')!;
    expect([same.pid, same.restarts]).toEqual([api.pid, api.restarts]);

    tend.write('broken.json', '{"kind": "tend-plan", "version": 1, "home": 3}');
    const broken = await tend.run(['apply', join(tend.work, 'broken.json')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/a damaged saved plan/);
  });

  it('--deny and --max-unavailable fail with exit 4 before anything is done; plan --json says why', async () => {
    const file = tend.write('eco.yml', `apps:\n${app('api', 'V: "1"')}${app('old')}`);
    await tend.ok(['apply', file]);
    const before = await tend.list();
    tend.write('eco.yml', `apps:\n${app('api', 'V: "2"')}`);

    const json = await tend.run(['plan', file, '--prune', '--json', '--deny', 'delete']);
    expect(json.code).toBe(4);
    const plan = JSON.parse(json.stdout) as {
      version: number;
      actions: Array<{ type: string; app: string; disruption: string }>;
      denied: string[];
    };
    expect(plan.version).toBe(1);
    expect(plan.actions.map((a) => [a.type, a.app, a.disruption])).toEqual([
      ['delete', 'old', 'delete'],
      ['restart', 'api', 'restart'],
    ]);
    expect(plan.denied).toEqual([expect.stringMatching(/^old: delete is denied/)]);

    const denied = await tend.run(['apply', file, '--prune', '--max-unavailable', '1']);
    expect(denied.code).toBe(4);
    expect(denied.stderr).toMatch(
      /2 instances would be down at once, over --max-unavailable 1: old delete 1, api restart 1/,
    );
    const after = await tend.list();
    expect(after.map((p) => [p.name, p.pid])).toEqual(before.map((p) => [p.name, p.pid]));

    const typo = await tend.run(['apply', file, '--deny', 'restrat']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/unknown action kind `restrat`/);

    await tend.ok(['apply', file, '--prune', '--max-unavailable', '2', '--deny', 'reload']);
    expect(await names()).toEqual(['api']);
  });

  it('history lists each change; rollback plans back to an entry, or undoes the last change, and is recorded', async () => {
    const file = tend.write('eco.yml', `apps:\n${app('api', 'V: "1"')}`);
    await tend.ok(['apply', file]);
    tend.write('eco.yml', `apps:\n${app('api', 'V: "2"')}${app('web')}`);
    await tend.ok(['apply', file]);
    await tend.ok(['start', fixture('forever.js'), '--name', 'by-hand']);
    await tend.ok(['delete', 'by-hand']);
    const refused = await tend.run(['apply', file, '--deny', 'start,restart,delete,reload', '--prune']);
    expect(refused.code).toBe(0); // nothing to do: no gate is broken

    const history = (await tend.ok(['history'])).stdout;
    expect(history).toMatch(/^1\s+\S+ \S+\s+apply\s+eco\.yml\s+-\s+ok\s+api start$/m);
    expect(history).toMatch(/^2\s+.*apply\s+eco\.yml\s+-\s+ok\s+api restart, web start$/m);
    expect(history).toMatch(/^3\s+.*start\s+cli\s+-\s+ok\s+by-hand start$/m);
    expect(history).toMatch(/^4\s+.*delete\s+-\s+-\s+ok\s+by-hand delete$/m);
    expect((await tend.ok(['history', 'web'])).stdout.trim().split('\n')).toHaveLength(2);

    // Without an id: the last change undone (the deleted app comes back).
    const undo = await tend.ok(['rollback']);
    expect(undo.stdout).toMatch(/Rolling back entry 4 \(by-hand delete\)/);
    expect(await names()).toEqual(['api', 'by-hand', 'web']);

    // To entry 1: api back to V=1, web (not in that state, same owner) deleted; by-hand (the command line's) kept.
    const dry = await tend.ok(['rollback', '1', '--dry-run']);
    expect(dry.stdout).toMatch(/- web\s+delete/);
    expect(dry.stdout).toMatch(/~ api\s+restart 1 instance: run\.env\.V "2" → "1"/);
    expect(await names()).toEqual(['api', 'by-hand', 'web']);
    await tend.ok(['rollback', '1']);
    expect(await names()).toEqual(['api', 'by-hand']);
    const env = (await tend.ok(['env', 'api'])).stdout;
    expect(env).toMatch(/^V[=:]\s*"?1"?$/m);
    expect((await tend.ok(['history'])).stdout).toMatch(
      /^\d+\s+.*rollback\s+eco\.yml\s+-\s+ok\s+web delete, api restart$/m,
    );

    const missing = await tend.run(['rollback', '99']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no history entry 99/);
    tend.write('damaged', '');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(tend.home, 'history', '000001.json'), '{"version": 1, "id": 1');
    const damaged = await tend.run(['rollback', '1']);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/history entry 1 is damaged/);
  });

  it('apply --atomic puts back what it touched when an instance is not ready in time, and says so', async () => {
    const file = tend.write('eco.yml', `apps:\n${app('api', 'V: "1"')}`);
    await tend.ok(['apply', file]);
    // The new api never says `ready` (wait_ready): without --atomic tend goes on after listen_timeout, as PM2 does.
    tend.write('eco.yml', `apps:\n${app('api', 'V: "2"')}    wait_ready: true\n    listen_timeout: 800\n${app('web')}`);
    const atomic = await tend.run(['apply', file, '--atomic']);
    expect(atomic.code).toBe(1);
    expect(atomic.stderr).toMatch(/api\[0\] \(id \d+\) was not ready within listen_timeout \(800 ms\)/);
    expect(atomic.stderr).toMatch(
      /--atomic: the apply failed, so what it touched was put back: api \(its previous spec\), web \(deleted: it was new\)/,
    );
    const list = await tend.waitFor((l) => l.length === 1 && l[0]!.status === 'online', 10_000, 'api back online');
    expect(list.map((p) => p.name)).toEqual(['api']);
    expect((await tend.ok(['env', 'api'])).stdout).toMatch(/^V[=:]\s*"?1"?$/m);
    expect((await tend.ok(['history'])).stdout).toMatch(/\brestored\s+api restart, web start$/m);
  });
});
