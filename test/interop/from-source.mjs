// Runs the examples against the TypeScript sources instead of a build that may be stale or
// missing: `node --import tsx --import ./test/interop/from-source.mjs examples/x.mjs`.
import { register } from 'node:module';

register('./from-source-hooks.mjs', import.meta.url);
