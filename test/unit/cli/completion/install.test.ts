import { describe, expect, it } from 'vitest';
import {
  completionPlaces,
  type FilePorts,
  installCompletion,
  rcBlock,
  uninstallCompletion,
} from '../../../../src/cli/completion/install.js';
import { completionScript } from '../../../../src/cli/completion/scripts.js';

function memoryFiles(initial: Record<string, string> = {}) {
  const files = new Map(Object.entries(initial));
  const ports: FilePorts = {
    read: (path) => files.get(path) ?? null,
    write: (path, text) => void files.set(path, text),
    remove: (path) => void files.delete(path),
  };
  return { files, ports };
}

describe('tend completion install', () => {
  it("bash: the script in bash-completion's folder, loaded from .bashrc; a second install changes nothing", () => {
    const places = completionPlaces('bash', '/home/a', {});
    expect(places).toEqual({
      script: '/home/a/.local/share/bash-completion/completions/tend',
      rc: '/home/a/.bashrc',
    });
    const { files, ports } = memoryFiles({ '/home/a/.bashrc': 'alias ll="ls -l"' });
    expect(installCompletion('bash', places, ports)).toHaveLength(2);
    expect(files.get(places.script)).toBe(completionScript('bash'));
    expect(files.get('/home/a/.bashrc')).toBe(`alias ll="ls -l"\n${rcBlock(places.script)}`);
    expect(installCompletion('bash', places, ports)).toEqual([]);
  });

  it('uninstall takes the script and exactly its lines away', () => {
    const places = completionPlaces('zsh', '/home/a', { ZDOTDIR: '/home/a/.zsh' });
    expect(places.rc).toBe('/home/a/.zsh/.zshrc');
    const { files, ports } = memoryFiles({ '/home/a/.zsh/.zshrc': 'export A=1\n' });
    installCompletion('zsh', places, ports);
    expect(uninstallCompletion(places, ports)).toHaveLength(2);
    expect(files.get('/home/a/.zsh/.zshrc')).toBe('export A=1\n');
    expect(files.has(places.script)).toBe(false);
    expect(uninstallCompletion(places, ports)).toEqual([]);
  });

  it('fish: its own completions folder, no startup file touched', () => {
    const places = completionPlaces('fish', '/home/a', { XDG_CONFIG_HOME: '/cfg' });
    expect(places).toEqual({ script: '/cfg/fish/completions/tend.fish', rc: null });
    const { files, ports } = memoryFiles();
    installCompletion('fish', places, ports);
    expect([...files.keys()]).toEqual(['/cfg/fish/completions/tend.fish']);
  });
});
