// How much one request of the viewer may ask for. Every view asks for the slice it shows: these
// bounds keep a request for a whole 10 GB dataset (or a crafted URL) from taking the server's
// memory; a request past one is answered 413 with the bound in the message.

/** The bounds of `h5dat view`'s requests. */
export const VIEW_LIMITS = {
  /** Characters of a request's URL (path and query). */
  urlChars: 8192,
  /** Values of one numeric slice (a 1,024 × 1,024 heatmap). */
  sliceValues: 1 << 20,
  /** Rows of one table page. */
  tableRows: 1000,
  /** Cells (rows × columns) of one table page. */
  tableCells: 200_000,
  /** Samples (H × W × C × frames) of an image rendered as PNG: 64 Mi, an 8K RGB photo. */
  imageSamples: 64 << 20,
  /** Bytes of one hex preview. */
  hexBytes: 64 << 10,
  /** (pointer, value) pairs of a JSON dataset rebuilt for the JSON view. */
  jsonPairs: 200_000,
  /** Documents (or rows) of a record table shown as JSON. */
  jsonRows: 1000,
  /** Images of one page of a stacked group's grid. */
  stackPage: 200,
  /** Rows of one page of the manifest. */
  manifestPage: 500,
  /** Sample frames × channels of one WAV: ten minutes of 48 kHz stereo. */
  audioSamples: 48_000 * 2 * 600,
  /** Bins of a waveform. */
  waveformBins: 4096,
  /** Members of a group listed in one request. */
  members: 2000,
} as const;
