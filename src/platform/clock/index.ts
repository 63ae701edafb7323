export { todayIn } from './calendar-date.js';
export { Clock } from './clock.js';
export { ClockModule } from './clock.module.js';
