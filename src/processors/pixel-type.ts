// The element types decoded pixels come in, and the typed array of each: 8- and 16-bit unsigned
// for most images, 32-bit integers and 32/64-bit floats for scientific TIFFs (kept as they are,
// never scaled to 8 bits).

/** The sample types an image's pixels are kept in. */
export type PixelType = "uint8" | "uint16" | "uint32" | "int8" | "int16" | "int32" | "float32" | "float64";

/** The TypedArray of each PixelType. */
export type PixelArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

const ARRAYS = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** Bits per sample of `type`. */
export function bitsOf(type: PixelType): number {
  return ARRAYS[type].BYTES_PER_ELEMENT * 8;
}

/** `byteLength` bytes of `buffer` at `byteOffset` seen as samples of `type` (no copy; aligned). */
export function pixelArray(type: PixelType, buffer: ArrayBuffer, byteOffset = 0, byteLength = buffer.byteLength - byteOffset): PixelArray {
  const Array = ARRAYS[type];
  if (byteOffset % Array.BYTES_PER_ELEMENT === 0) return new Array(buffer, byteOffset, byteLength / Array.BYTES_PER_ELEMENT);
  // An unaligned view is not allowed: copy.
  return new Array(new Uint8Array(buffer, byteOffset, byteLength).slice().buffer);
}

/** The element type of `array`'s samples. */
export function pixelTypeOfArray(array: PixelArray): PixelType {
  return (Object.keys(ARRAYS) as PixelType[]).find((type) => array instanceof ARRAYS[type])!;
}

/** The element type of decoded samples: `sampleType` when given, else unsigned of `bitDepth` (8 or 16). */
export function sampleTypeOf(image: { bitDepth: number; sampleType?: PixelType }): PixelType {
  return image.sampleType ?? (image.bitDepth === 16 ? "uint16" : "uint8");
}
