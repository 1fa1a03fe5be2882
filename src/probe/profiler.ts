// Profiles taken inside the app for `tend profile`, through Node's own inspector in the same process: no inspector port
// is opened, nothing is installed in the app, and node:inspector loads only when a profile is asked for.
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Session } from 'node:inspector';
import type { ProfileKind } from './protocol.js';

/** Where the profile went and how big it is. */
export interface ProfileResult {
  file: string;
  bytes: number;
}

let busy = false;

/**
 * Takes one profile and writes it to `file` (0600: a heap snapshot holds every string the app holds). CPU and heap
 * sampling run `ms` while the app goes on serving; a heap snapshot stops the app while it is taken, as it must.
 */
export async function takeProfile(kind: ProfileKind, ms: number, file: string): Promise<ProfileResult> {
  if (busy) throw new Error('a profile is already being taken in this process');
  busy = true;
  // The callback API: node:inspector/promises is not in Node 18, which apps may run.
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => {
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result)));
    });
  try {
    if (kind === 'heap') return await heapSnapshot(session, post, file);
    const [domain, start, stop] =
      kind === 'cpu'
        ? (['Profiler', 'Profiler.start', 'Profiler.stop'] as const)
        : (['HeapProfiler', 'HeapProfiler.startSampling', 'HeapProfiler.stopSampling'] as const);
    await post(`${domain}.enable`);
    await post(start);
    await new Promise((resolve) => setTimeout(resolve, ms).unref());
    const { profile } = (await post(stop)) as { profile: unknown };
    const text = JSON.stringify(profile);
    await writeFile(file, text, { mode: 0o600 });
    return { file, bytes: Buffer.byteLength(text) };
  } finally {
    session.disconnect();
    busy = false;
  }
}

/** The snapshot comes in chunks; they go straight to the file, so the app never holds the whole of it twice. */
async function heapSnapshot(
  session: Session,
  post: (method: string, params?: object) => Promise<unknown>,
  file: string,
): Promise<ProfileResult> {
  const out = createWriteStream(file, { mode: 0o600 });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  let bytes = 0;
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => {
    const chunk = (message as { params: { chunk: string } }).params.chunk;
    bytes += Buffer.byteLength(chunk);
    out.write(chunk);
  });
  await Promise.race([post('HeapProfiler.takeHeapSnapshot', { reportProgress: false }), failed]);
  await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
  return { file, bytes };
}

/** Opens the inspector on 127.0.0.1 at a free port (or closes it); answers its ws:// address, or null once closed. */
export async function setInspector(open: boolean): Promise<string | null> {
  const inspector = await import('node:inspector');
  if (!open) {
    inspector.close();
    return null;
  }
  if (inspector.url() === undefined) inspector.open(0, '127.0.0.1', false);
  return inspector.url() ?? null;
}
