// The code cache moved to core/ (src/core/code-cache.ts): tend-runtime's entry (src/container/entry.ts) uses it too,
// and container/ may not import cli/.
export { type CachedModule, requireWithCodeCache, userCodeCacheDir } from '../../core/code-cache.js';
