// `npm start`: everything in one process (HTTP + workers), embedded database and Redis by default.
import { runService } from './run-service.js';

await runService('all');
