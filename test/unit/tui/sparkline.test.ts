import { describe, expect, it } from 'vitest';
import { cpuRange, memoryRange, sparkline } from '../../../src/cli/tui/sparkline.js';

describe('sparklines of CPU and memory history', () => {
  it('scale from zero to the largest value shown by default', () => {
    expect(sparkline([0, 25, 50, 100], 4)).toBe('▁▂▄█');
  });

  it('put the newest sample at the right edge and pad a short history on the left', () => {
    expect(sparkline([10, 20], 5)).toBe('   ▄█');
  });

  it('show only the last `width` samples', () => {
    expect(sparkline([100, 100, 100, 0, 50], 2)).toBe('▁█');
  });

  it('treat missing or negative samples as zero and give nothing for no width', () => {
    expect(sparkline([Number.NaN, -1, 8], 3)).toBe('▁▁█');
    expect(sparkline([1, 2, 3], 0)).toBe('');
  });

  it("draw an idle process's CPU flat instead of filling the box with noise", () => {
    const idle = [0.2, 0.4, 0.3];
    expect(sparkline(idle, 3, cpuRange(idle))).toBe('▁▁▁');
    expect(sparkline([10, 50, 100], 3, cpuRange([10, 50, 100]))).toBe('▁▄█');
  });

  it('draw steady memory at half height and make a leak climb', () => {
    const steady = [40e6, 40e6, 40e6];
    expect(sparkline(steady, 3, memoryRange(steady))).toBe('▄▄▄');
    const leak = [40e6, 60e6, 80e6, 100e6];
    expect(sparkline(leak, 4, memoryRange(leak))).toBe('▁▃▅▆');
  });

  it('keep a zero memory sample (a restart) at the bottom', () => {
    const restart = [40e6, 0, 40e6];
    expect(sparkline(restart, 3, memoryRange(restart))).toBe('▄▁▄');
  });
});
