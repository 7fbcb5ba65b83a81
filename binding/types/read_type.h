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

// Registers the HDF5 conversions HDF5 lacks: 4-byte times to and from int32 (PyTables' Time32:
// seconds), 8-byte times to and from double seconds (PyTables' Time64 stores seconds and
// microseconds as two int32s, and reads them as a double), bitfields to and from unsigned
// integers of their size (h5py's view of a bitfield). Idempotent. Lock held.
void EnsureCopyConversions();

}  // namespace h5dat
