const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// day.js's tokens (what PM2's log_date_format uses); text in [brackets] is kept as written.
const TOKENS = /\[([^\]]*)]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|SSS|ZZ|Z|A|a|X|x/g;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function offset(date: Date, separator: string): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${separator}${pad(abs % 60)}`;
}

function token(date: Date, name: string): string {
  const hours12 = date.getHours() % 12 === 0 ? 12 : date.getHours() % 12;
  switch (name) {
    case 'YYYY':
      return String(date.getFullYear());
    case 'YY':
      return pad(date.getFullYear() % 100);
    case 'MMMM':
      return MONTHS[date.getMonth()]!;
    case 'MMM':
      return MONTHS[date.getMonth()]!.slice(0, 3);
    case 'MM':
      return pad(date.getMonth() + 1);
    case 'M':
      return String(date.getMonth() + 1);
    case 'DD':
      return pad(date.getDate());
    case 'D':
      return String(date.getDate());
    case 'dddd':
      return DAYS[date.getDay()]!;
    case 'ddd':
      return DAYS[date.getDay()]!.slice(0, 3);
    case 'HH':
      return pad(date.getHours());
    case 'H':
      return String(date.getHours());
    case 'hh':
      return pad(hours12);
    case 'h':
      return String(hours12);
    case 'mm':
      return pad(date.getMinutes());
    case 'm':
      return String(date.getMinutes());
    case 'ss':
      return pad(date.getSeconds());
    case 's':
      return String(date.getSeconds());
    case 'SSS':
      return pad(date.getMilliseconds(), 3);
    case 'ZZ':
      return offset(date, '');
    case 'Z':
      return offset(date, ':');
    case 'A':
      return date.getHours() < 12 ? 'AM' : 'PM';
    case 'a':
      return date.getHours() < 12 ? 'am' : 'pm';
    case 'X':
      return String(Math.floor(date.getTime() / 1000));
    case 'x':
      return String(date.getTime());
    default:
      return name;
  }
}

/** Formats a time with day.js's tokens in local time, so PM2's `log_date_format` strings work unchanged without the library. */
export function formatTime(date: Date, format: string): string {
  return format.replace(TOKENS, (match: string, literal: string | undefined) =>
    literal !== undefined ? literal : token(date, match),
  );
}

/**
 * A formatter that reuses its last answer within the same millisecond: a burst of lines read in one
 * chunk costs one formatting, not one per line.
 */
export function cachedFormatter(format: string): (ms: number) => string {
  let lastMs = Number.NaN;
  let last = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastMs = ms;
      last = formatTime(new Date(ms), format);
    }
    return last;
  };
}
