import { describe, expect, test } from 'vitest';
import { maskLine } from '../../../src/cli/commands/report.js';

describe('tend report masks what looks secret in daemon.log lines', () => {
  test.each([
    ['API_KEY=abc123 started', 'API_KEY=*** started'],
    ['DB_PASSWORD: "hunter 2", port=5432', 'DB_PASSWORD: ***, port=5432'],
    ["github_token='ghp_x' next", 'github_token=*** next'],
    ['dashboard on http://127.0.0.1:9615/?token=s3cr3t&x=1', 'dashboard on http://127.0.0.1:9615/?token=***&x=1'],
    ['PORT=3000 NODE_ENV=production', 'PORT=3000 NODE_ENV=production'],
    ['tend daemon 4111 serving /tmp/home/tend.sock', 'tend daemon 4111 serving /tmp/home/tend.sock'],
  ])('%s', (line, masked) => {
    expect(maskLine(line)).toBe(masked);
  });
});
