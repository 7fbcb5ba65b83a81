// ffmpeg's stderr, read: lines with their log level (ffmpeg runs with -loglevel level+info), and
// the "Input #0 / Stream mapping / Output #0" dump, which tells codec, frame size, frame rate,
// sample rate and channels of the input and of what ffmpeg writes out.

/** ffmpeg's log levels, most severe first. */
export type LogLevel = "panic" | "fatal" | "error" | "warning" | "info" | "verbose" | "debug" | "trace";

/** One line of ffmpeg's log, with its level and component. */
export interface LogLine {
  level: LogLevel;
  /** The component that logged it ("mov,mp4,m4a,3gp,3g2,mj2", "h264"), when ffmpeg names one. */
  component: string | null;
  text: string;
}

const LINE = /^(?:\[([^\]]*?) @ (?:0x)?[0-9a-fA-F]+\] )?\[(panic|fatal|error|warning|info|verbose|debug|trace)\] ?(.*)$/;

/** One stderr line; lines without a level prefix continue the previous message (its level). */
export function parseLogLine(raw: string, previous: LogLevel = "info"): LogLine {
  const match = LINE.exec(raw);
  if (!match) return { level: previous, component: null, text: raw };
  return { level: match[2] as LogLevel, component: match[1] ?? null, text: match[3] };
}

/** Whether a line of `level` reports an error. */
export const isErrorLevel = (level: LogLevel) => level === "error" || level === "fatal" || level === "panic";

/** One stream of ffmpeg's input as its banner lists it. */
export interface StreamInfo {
  /** "0:1": file and stream index. */
  id: string;
  kind: "video" | "audio" | "subtitle" | "data" | "attachment";
  /** The codec's short name: h264, vp9, mpeg4, gif, aac, mp3, pcm_s16le, rawvideo, pcm_f32le... */
  codec: string;
  /** Everything after "Video: " (or "Audio: "...). */
  description: string;
  width?: number;
  height?: number;
  /** Frames per second as ffmpeg prints it (two decimals; 29.97 stands for 30000/1001). */
  fps?: number;
  sampleRate?: number;
  channels?: number;
  channelLayout?: string;
  /** Cover art in an audio file. */
  attachedPic: boolean;
}

/** What ffmpeg's banner says about the input and the stream mapping. */
export interface Banner {
  input: { format: string | null; duration_s: number | null; streams: StreamInfo[] };
  /** "Stream #0:1 -> #0:0 (h264 (native) -> rawvideo (native))": which input stream feeds which output. */
  mapping: { input: string; output: string; codec: string | null }[];
  output: { format: string | null; streams: StreamInfo[] };
}

const emptyBanner = (): Banner => ({ input: { format: null, duration_s: null, streams: [] }, mapping: [], output: { format: null, streams: [] } });

/** Splits at ", " outside parentheses and brackets ("yuv420p(tv, bt709)" stays one field). */
export function splitFields(text: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[") depth++;
    else if ((c === ")" || c === "]") && depth > 0) depth--;
    else if (c === "," && depth === 0) {
      fields.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  fields.push(text.slice(start).trim());
  return fields.filter((f) => f !== "");
}

/** "25", "29.97", "1k", "0.50" (as print_fps writes them) → a number; NTSC rates snapped to n·1000/1001. */
export function parseRate(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(k?)$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * (match[2] ? 1000 : 1);
  if (!(value > 0)) return undefined;
  if (!Number.isInteger(value)) {
    // print_fps rounds to two decimals: 29.97 is 30000/1001, 23.98 is 24000/1001.
    const n = Math.round(value * 1.001);
    const ntsc = (n * 1000) / 1001;
    if (n > 0 && Math.abs(ntsc - value) < 0.005 && Math.abs(n - value) >= 0.005) return ntsc;
  }
  return value;
}

/** Channels of a layout as ffmpeg names it (av_get_channel_layout_string), or undefined. */
export function channelsOf(layout: string): number | undefined {
  const named: Record<string, number> = {
    mono: 1, stereo: 2, downmix: 2, "2.1": 3, "3.0": 3, "3.0(back)": 3, "4.0": 4, quad: 4, "quad(side)": 4, "3.1": 4,
    "5.0": 5, "5.0(side)": 5, "4.1": 5, "5.1": 6, "5.1(side)": 6, "6.0": 6, "6.0(front)": 6, hexagonal: 6,
    "6.1": 7, "6.1(back)": 7, "6.1(front)": 7, "7.0": 7, "7.0(front)": 7, "7.1": 8, "7.1(wide)": 8, "7.1(wide-side)": 8,
    octagonal: 8, hexadecagonal: 16,
  };
  if (layout in named) return named[layout];
  const counted = /^(\d+) channels?\b/.exec(layout);
  if (counted) return Number(counted[1]);
  return undefined;
}

const STREAM = /^Stream #(\d+:\d+)(?:\[[^\]]*\])?(?:\([^)]*\))?: (Video|Audio|Subtitle|Data|Attachment): (.*)$/;
const MAPPING = /^Stream #(\d+:\d+)(?:\[[^\]]*\])? -> #(\d+:\d+)(?: \((\S+))?/;

/** The stream a banner line (`Stream #0:1: Audio: ...`) describes, or null for another line. */
export function parseStream(line: string): StreamInfo | null {
  const match = STREAM.exec(line.trim());
  if (!match) return null;
  const description = match[3];
  const fields = splitFields(description);
  const info: StreamInfo = {
    id: match[1],
    kind: match[2].toLowerCase() as StreamInfo["kind"],
    codec: /^[^\s,(]+/.exec(description)?.[0] ?? "unknown",
    description,
    attachedPic: /\(attached pic\)/.test(description),
  };
  let tbr: number | undefined;
  for (const [i, field] of fields.entries()) {
    if (i === 0) continue; // the codec, its profile and tag
    const size = /^(\d+)x(\d+)(?:\s|$)/.exec(field);
    if (size && info.kind === "video" && info.width === undefined) {
      info.width = Number(size[1]);
      info.height = Number(size[2]);
      continue;
    }
    const rate = /^(\S+) (fps|tbr)$/.exec(field);
    if (rate) {
      if (rate[2] === "fps") info.fps = parseRate(rate[1]);
      else tbr = parseRate(rate[1]);
      continue;
    }
    const hz = /^(\d+) Hz$/.exec(field);
    if (hz) {
      info.sampleRate = Number(hz[1]);
      // The channel layout comes right after the sample rate.
      const layout = fields[i + 1];
      if (layout !== undefined) {
        info.channelLayout = layout;
        info.channels = channelsOf(layout);
      }
    }
  }
  if (info.kind === "video" && info.fps === undefined && tbr !== undefined) info.fps = tbr;
  return info;
}

function parseDuration(text: string): number | null {
  const match = /^Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(text.trim());
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : null;
}

/** Follows the dump line by line. */
export class BannerParser {
  readonly banner: Banner = emptyBanner();
  private section: "input" | "mapping" | "output" | null = null;

  line(text: string): void {
    const trimmed = text.trim();
    const header = /^(Input|Output) #(\d+), (.*?), (?:from|to) '/.exec(trimmed);
    if (header) {
      // One input and one output here: only #0 of each counts.
      this.section = header[2] === "0" ? (header[1] === "Input" ? "input" : "output") : null;
      if (this.section) this.banner[this.section].format = header[3];
      return;
    }
    if (trimmed === "Stream mapping:") {
      this.section = "mapping";
      return;
    }
    if (this.section === "mapping") {
      const mapping = MAPPING.exec(trimmed);
      if (mapping) this.banner.mapping.push({ input: mapping[1], output: mapping[2], codec: mapping[3] ?? null });
      else if (!trimmed.startsWith("Stream #")) this.section = null;
      return;
    }
    if (this.section === "input" && trimmed.startsWith("Duration:")) {
      this.banner.input.duration_s = parseDuration(trimmed);
      return;
    }
    if (this.section) {
      const stream = parseStream(trimmed);
      if (stream && stream.id.startsWith("0:")) this.banner[this.section].streams.push(stream);
    }
  }
}

/** The input stream an output stream is decoded from (by the mapping), with the first as fallback. */
export function sourceStream(banner: Banner, kind: StreamInfo["kind"]): StreamInfo | undefined {
  const mapped = banner.mapping.map((m) => banner.input.streams.find((s) => s.id === m.input)).find((s) => s?.kind === kind);
  return mapped ?? banner.input.streams.find((s) => s.kind === kind && !s.attachedPic);
}

/** A short list of the input's streams for messages: "Audio: mp3, Video: mjpeg (attached pic)". */
export function describeStreams(banner: Banner): string {
  if (banner.input.streams.length === 0) return "none";
  return banner.input.streams.map((s) => `${s.kind}: ${s.codec}${s.attachedPic ? " (attached pic)" : ""}`).join(", ");
}
