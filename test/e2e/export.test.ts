import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemdWords } from '../fixtures/systemd-words.js';
import { composeConfig, kubernetesObjects, unitSettings, verifyUnits } from './export-validators.js';
import { ROOT, TendHarness } from './harness.js';

// `tend export` needs no daemon: one harness (one home) for the whole file, and each test checks none was started.
let tend: TendHarness;
beforeAll(() => {
  tend = new TendHarness();
});
afterAll(async () => {
  await tend.teardown();
});

const TARGETS = ['kubernetes', 'compose', 'systemd'] as const;

/** Each example's ecosystem file (YAML or the PM2-style JS). */
const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    const dir = join(ROOT, 'examples', entry.name);
    return readdirSync(dir)
      .filter((name) => name.startsWith('ecosystem.'))
      .map((name) => ({ example: entry.name, file: join(dir, name) }));
  });

/** The output of one export into a fresh folder, checked by the target's own validator. */
function expectValid(target: (typeof TARGETS)[number], dir: string): void {
  const files = readdirSync(dir);
  expect(files.length).toBeGreaterThan(0);
  if (target === 'kubernetes') for (const name of files) kubernetesObjects(readFileSync(join(dir, name), 'utf8'), name);
  if (target === 'compose') {
    expect(files).toEqual(['docker-compose.yml']);
    expect(composeConfig(join(dir, 'docker-compose.yml'))).toEqual({ code: 0, output: '' });
  }
  if (target === 'systemd')
    for (const [name, result] of Object.entries(verifyUnits(dir)))
      expect({ name, ...result }).toEqual({ name, code: 0, output: '' });
}

describe('tend export: every example', () => {
  it('finds the ecosystem file of each example', () => {
    expect(EXAMPLES.map((entry) => entry.example)).toEqual(
      expect.arrayContaining(['container', 'crash-loop', 'leaky', 'pm2-style', 'python', 'quickstart']),
    );
  });

  for (const { example, file } of EXAMPLES)
    for (const target of TARGETS)
      it(`exports ${example} to ${target}, valid by ${target}'s own validator`, async () => {
        const out = join(tend.work, 'examples', example, target);
        const result = await tend.ok(['export', target, file, '-o', out]);
        // stdout is the paths written, one a line, each a file that exists.
        const paths = result.stdout.trim().split('\n');
        expect(paths.every((path) => path.startsWith(out) && existsSync(path))).toBe(true);
        expectValid(target, out);
        expect(tend.daemonPid()).toBeNull();
      });
});

// Two apps that use most of what an app can say: checks, depends_on, instances, env with `$` and quotes, a cron job.
const RICH = `project: shop
apps:
  - name: db
    script: db.js
    port: 5432
    ready:
      tcp: 5432
  - name: web
    script: web.js
    exec_mode: fork
    instances: 3
    port: 8080
    watch: true
    max_memory_restart: 300M
    restart_delay: 2s
    kill_signal: SIGTERM
    args: ['--title', 'big $hop "sale"']
    env:
      PRICE: "$5 at 100%"
    env_production:
      PRICE: "$7 at 100%"
    ready:
      http: { port: 8080, path: /ready }
    health:
      http: { port: 8080, path: /health }
      failures: 5
      start_period: 30s
    depends_on:
      db: { condition: ready }
  - name: Nightly_Report
    script: report.js
    autorestart: false
    cron_restart: '0 2 * * *'
`;

describe('tend export: what a user sees', () => {
  let file: string;
  beforeAll(() => {
    for (const name of ['db.js', 'web.js', 'report.js']) tend.write(`shop/${name}`, 'setInterval(() => {}, 1000);\n');
    file = tend.write('shop/ecosystem.yml', RICH);
  });

  it('writes Kubernetes objects a cluster accepts: replicas, probes, Service, CronJob, labels', async () => {
    const out = join(tend.work, 'rich-k8s');
    const result = await tend.ok(['export', 'kubernetes', file, '-o', out, '--env', 'production']);
    expect(readdirSync(out).sort()).toEqual(['db.yaml', 'nightly-report.yaml', 'web.yaml']);
    const web = kubernetesObjects(readFileSync(join(out, 'web.yaml'), 'utf8'), 'web.yaml');
    expect(web.map((object) => object.kind)).toEqual(['Deployment', 'Service']);
    const [deployment] = web;
    expect(deployment!.spec.replicas).toBe(3);
    expect(deployment!.metadata.labels).toEqual({ app: 'web', 'tend/project': 'shop' });
    const container = deployment!.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', '/app/web.js', '--title', 'big $hop "sale"']);
    expect(container.env).toContainEqual({ name: 'PRICE', value: '$7 at 100%' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080 });
    expect(container.livenessProbe).toMatchObject({ failureThreshold: 5, initialDelaySeconds: 30 });
    expect(container.resources.limits.memory).toBe('300Mi');
    const [cron] = kubernetesObjects(readFileSync(join(out, 'nightly-report.yaml'), 'utf8'), 'nightly-report.yaml');
    expect(cron).toMatchObject({ kind: 'CronJob', spec: { schedule: '0 2 * * *' } });
    // The lossy report, on stderr and as a comment in the file.
    expect(result.stderr).toContain('web: watch: Kubernetes does not restart on file changes');
    expect(result.stderr).toContain('web: depends_on: ');
    expect(readFileSync(join(out, 'web.yaml'), 'utf8')).toMatch(/^#\s+watch: Kubernetes does not restart/m);
  });

  it('writes a compose file docker-compose accepts, with replicas, healthchecks and depends_on', async () => {
    const out = join(tend.work, 'rich-compose');
    const result = await tend.ok(['export', 'compose', file, '-o', out]);
    expect(result.stdout.trim()).toBe(join(out, 'docker-compose.yml'));
    expectValid('compose', out);
    // What docker compose itself makes of the file. Its `config` keeps the `$$` escape in what it prints (so the
    // output can be read again); an unescaped `$hop` would have been substituted with a warning, failing expectValid.
    const config = await import('node:child_process').then((cp) =>
      cp.spawnSync('docker-compose', ['-f', join(out, 'docker-compose.yml'), 'config'], { encoding: 'utf8' }),
    );
    const { parse } = await import('yaml');
    const services = parse(config.stdout).services;
    expect(services.web.deploy.replicas).toBe(3);
    expect(services.web.environment.PRICE).toBe('$$5 at 100%');
    expect(services.web.command).toEqual(['node', '/app/web.js', '--title', 'big $$hop "sale"']);
    expect(services.web.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(services.db.healthcheck.test[0]).toBe('CMD');
    expect(services.web.mem_limit).toBeDefined();
    expect(result.stderr).toContain('Nightly_Report: cron_restart: docker compose runs nothing on a schedule');
  });

  it('writes systemd units that verify: a template for instances, the exact argv, Restart=, MemoryMax=', async () => {
    const out = join(tend.work, 'rich-systemd');
    await tend.ok(['export', 'systemd', file, '-o', out]);
    expect(readdirSync(out).sort()).toEqual([
      'Nightly_Report.service',
      'Nightly_Report.timer',
      'db.service',
      'web@.service',
    ]);
    expectValid('systemd', out);
    const web = join(out, 'web@.service');
    expect(systemdWords(unitSettings(web, 'ExecStart')[0]!)).toEqual([
      process.execPath,
      join(tend.work, 'shop/web.js'),
      '--title',
      'big $hop "sale"',
    ]);
    expect(unitSettings(web, 'Restart')).toEqual(['always']);
    expect(unitSettings(web, 'RestartSec')).toEqual(['2000ms']);
    expect(unitSettings(web, 'MemoryMax')).toEqual([String(300 * 1024 * 1024)]);
    expect(unitSettings(web, 'Requires')).toEqual(['db.service']);
    expect(unitSettings(join(out, 'Nightly_Report.service'), 'Restart')).toEqual(['no']);
    // The job's schedule as a timer (on-calendar.test.ts checks that systemd runs it when croner, tend's, would).
    expect(unitSettings(join(out, 'Nightly_Report.timer'), 'OnCalendar')).toEqual(['*-*-* 2:0:0']);
  });

  it('prints to stdout without -o: YAML documents, or units each under its name', async () => {
    const k8s = await tend.ok(['export', 'kubernetes', file]);
    expect(kubernetesObjects(k8s.stdout, 'stdout').map((object) => object.kind)).toEqual([
      'Deployment',
      'Service',
      'Deployment',
      'Service',
      'CronJob',
    ]);
    const units = await tend.ok(['export', 'systemd', file]);
    expect(units.stdout.match(/^# ==> .* <==$/gm)).toEqual([
      '# ==> db.service <==',
      '# ==> web@.service <==',
      '# ==> Nightly_Report.service <==',
      '# ==> Nightly_Report.timer <==',
    ]);
    expect(units.stderr).toContain('not carried to systemd');
  });

  it('--strict fails on a key the target cannot carry, names it, and writes nothing', async () => {
    const out = join(tend.work, 'strict');
    const result = await tend.run(['export', 'compose', file, '-o', out, '--strict']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('cannot be carried to compose (--strict): nothing was written');
    expect(result.stderr).toContain('web: watch:');
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('--strict passes an app every key of which the target carries', async () => {
    const plain = tend.write(
      'plain/ecosystem.yml',
      'apps:\n  - name: api\n    script: api.js\n    kill_signal: SIGTERM\n',
    );
    tend.write('plain/api.js', '');
    const result = await tend.ok(['export', 'kubernetes', plain, '--strict', '--image', 'registry.example/api:1']);
    expect(result.stderr).toBe('');
    expect(kubernetesObjects(result.stdout, 'stdout')[0]!.spec.template.spec.containers[0].image).toBe(
      'registry.example/api:1',
    );
  });

  it('refuses an unknown target and a bad file with a clear message, writing nothing', async () => {
    const out = join(tend.work, 'refused');
    const unknown = await tend.run(['export', 'nomad', file, '-o', out]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("argument 'target'");
    expect(unknown.stderr).toContain('Allowed choices are kubernetes, compose, systemd');

    const bad = tend.write('bad/ecosystem.yml', 'apps:\n  - name: api\n    script: api.js\n    instances: lots\n');
    const invalid = await tend.run(['export', 'systemd', bad, '-o', out]);
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain(`${bad}:4:16`);
    expect(invalid.stderr).toContain('instances');
    expect(existsSync(out)).toBe(false);
    expect(tend.daemonPid()).toBeNull();
  });
});
