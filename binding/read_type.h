#pragma once
// The memory type a read converts a stored type to: the form JS can hold (numbers in native
// order, odd float sizes as doubles, bitfields as unsigned integers, times as int32/double,
// references as stored, sequences of converted elements, compounds packed). One place decides
// what h5dat can read; everything it cannot hold fails here with the reason.
#include <hdf5.h>
#include <napi.h>

#include <string>

namespace h5dat {

struct ReadOptions {
  // 16-bit floats as their raw IEEE half bits (JS has no float16 array) instead of as float32.
  bool rawFloat16 = false;
};

// { rawFloat16?: boolean } from JS (anything else: the defaults).
ReadOptions ReadOptionsFromJs(const Napi::Value& value);

// A new memory type for `fileType` (caller closes); fails naming `path` when its values have no
// JS form. Lock held.
hid_t MemoryType(hid_t fileType, const ReadOptions& options, const std::string& path);

// Registers HDF5 conversions that copy bytes between same-size times and integers/floats (a time
// is a count of seconds: PyTables' Time32 an int32, Time64 a double) and between bitfields and
// integers (h5py's view of a bitfield): HDF5 has none. Idempotent. Lock held.
void EnsureCopyConversions();

}  // namespace h5dat
