/** Python's `time.ctime()` in local time, which supervisord's web messages carry (pure). */

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** `Mon Nov  3 06:50:00 2026`: the day of the month padded with a space, as C's asctime does. */
export function ctime(date: Date): string {
  return `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, " ")} ${two(
    date.getHours(),
  )}:${two(date.getMinutes())}:${two(date.getSeconds())} ${date.getFullYear()}`;
}
