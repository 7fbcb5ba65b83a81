// The viewer's API: every GET endpoint by its URL path. All read; none writes.
import type { Route } from "./route";
import { membersRoute } from "./tree-route";
import { objectRoute } from "./object-route";
import { imageRoute } from "./image-route";
import { tableRoute } from "./table-route";
import { jsonRoute } from "./json-route";
import { bytesRoute } from "./bytes-route";
import { sliceRoute, valuesRoute } from "./slice-route";
import { audioRoute, frameRoute, waveformRoute } from "./media-route";
import { manifestRoute } from "./manifest-route";
import { stackImageRoute, stackRoute } from "./stack-route";
import { fileRoute } from "./file-route";

/** The API routes by URL path. */
export const API_ROUTES: ReadonlyMap<string, Route> = new Map([
  ["/api/file", fileRoute],
  ["/api/members", membersRoute],
  ["/api/object", objectRoute],
  ["/api/image.png", imageRoute],
  ["/api/table", tableRoute],
  ["/api/json", jsonRoute],
  ["/api/bytes", bytesRoute],
  ["/api/slice", sliceRoute],
  ["/api/values", valuesRoute],
  ["/api/frame.png", frameRoute],
  ["/api/audio.wav", audioRoute],
  ["/api/waveform", waveformRoute],
  ["/api/manifest", manifestRoute],
  ["/api/stack", stackRoute],
  ["/api/stack-image.png", stackImageRoute],
]);
