// `npm run worker`: BullMQ workers and job schedulers only.
import { runService } from './run-service.js';

await runService('worker');
