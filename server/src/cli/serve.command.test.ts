// Which V8 flags `callsnare serve` sets for itself: the memory-saving ones only where the
// database runs inside the process (PGlite); a node on PostgreSQL keeps V8's defaults.
import { serveV8Flags } from './serve.command';

describe('serveV8Flags', () => {
  it('keeps the embedded database (on disk or in memory) small: young generation capped, WebAssembly on the baseline compiler', () => {
    for (const databaseUrl of [undefined, 'memory://']) {
      expect(serveV8Flags({ databaseUrl, dataDir: '/var/lib/callsnare' })).toEqual(['--optimize-for-size', '--liftoff-only']);
    }
  });

  it('leaves V8 at its defaults on PostgreSQL, where the flags cost CPU and save no database memory', () => {
    for (const databaseUrl of ['postgresql://callsnare@db.internal:5432/callsnare', 'postgres://127.0.0.1/callsnare']) {
      expect(serveV8Flags({ databaseUrl, dataDir: '/var/lib/callsnare' })).toEqual([]);
    }
  });
});
