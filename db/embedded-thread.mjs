// Worker-thread entry (plain JS): registers tsx in this thread, then runs the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./embedded-thread.ts');
