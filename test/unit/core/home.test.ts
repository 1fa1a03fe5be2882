import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../src/core/home.js';

describe('resolvePaths', () => {
  it('puts everything under $TEND_HOME when it is set', () => {
    const paths = resolvePaths({ TEND_HOME: '/srv/tend', HOME: '/home/ann' });
    expect(paths.home).toBe('/srv/tend');
    expect(paths.socket).toBe('/srv/tend/tend.sock');
    expect(paths.logsDir).toBe('/srv/tend/logs');
  });

  it('uses ~/.tend from $HOME otherwise, as os.homedir() would', () => {
    expect(resolvePaths({ HOME: '/home/ann' }).home).toBe('/home/ann/.tend');
    expect(resolvePaths({ TEND_HOME: '', HOME: '/home/ann' }).home).toBe('/home/ann/.tend');
  });

  it('asks the system for the home folder when $HOME is not set', () => {
    expect(resolvePaths({}).home).toBe(`${homedir()}/.tend`);
    expect(resolvePaths({ HOME: '' }).home).toBe(`${homedir()}/.tend`);
  });
});
