// `npm run web`: the HTTP side only (callbacks, pages, APIs), for scaling apart from workers.
import { runService } from './run-service.js';

await runService('web');
