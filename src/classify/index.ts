// Classification of input entries: what each is (classify) and whether to process it (decide).
export { classify } from "./classify";
export { decide, validateAllowedTypes } from "./decide";
export { HEAD_BYTES } from "./magic";
export { OCTET_STREAM } from "./media-types";
export { CATEGORIES, type Category, type Classification, type ClassifyOptions, type Compression, type Decision } from "./types";
