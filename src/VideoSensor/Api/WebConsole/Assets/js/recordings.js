// Recordings as people think of them: one row per recording (its segments joined), placed on the wall clock
// from the segment names (<camera>_<UTC yyyyMMddTHHmmssfff>Z_<sequence>_<segment NNNN>.<ext>) and the measured
// durations, filtered by camera and day.

const NAME = /^(.+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z_(\d+)_(\d{4})\.[A-Za-z0-9]+$/;

/** Groups list_recordings files into recordings, newest first: {key, device, start (Date), duration, size, segments[{file, start, duration}]}. */
export function groupRecordings(files) {
  const groups = new Map();
  for (const file of files) {
    const m = NAME.exec(file.filename);
    const key = m ? `${file.device}|${m.slice(2, 9).join('')}|${m[9]}` : `${file.device}|${file.filename}`;
    const start = m ? new Date(Date.UTC(+m[2], +m[3] - 1, +m[4], +m[5], +m[6], +m[7], +m[8])) : new Date(file.modified_time);
    const group = groups.get(key) || { key, device: file.device, start, segments: [] };
    group.segments.push({ file, index: m ? Number(m[10]) : 0 });
    groups.set(key, group);
  }
  const recordings = [...groups.values()];
  for (const r of recordings) {
    r.segments.sort((a, b) => a.index - b.index);
    let at = r.start.getTime();
    for (const s of r.segments) {
      s.start = new Date(at);
      s.duration = s.file.duration ?? 0;
      at += s.duration * 1000;
    }
    r.duration = r.segments.reduce((sum, s) => sum + s.duration, 0);
    r.size = r.segments.reduce((sum, s) => sum + (s.file.file_size || 0), 0);
    r.filename = r.segments[0].file.filename;
  }
  return recordings.sort((a, b) => b.start - a.start);
}

/** "2026-12-01" in the browser's time zone: what a date input holds. */
export function localDay(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "2026-12-01T10:20:30" in the browser's time zone: what a datetime-local input with step=1 holds. */
export function localDateTime(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${localDay(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
