#pragma once
// Element data crossing between JS and HDF5. In the JS form ({ type, bytes, strings }) each
// variable-length string slot of `bytes` holds a uint32 index into `strings`; in HDF5's memory
// form the slot holds a char*. These two classes convert between the forms.
#include <hdf5.h>
#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "type_spec.h"

namespace h5dat {

// Data from JS to be written. The bytes stay in the JS buffer (pinned by the Job) unless
// variable-length strings force a copy with pointers swapped in.
class OutgoingData {
 public:
  static OutgoingData FromJs(const Napi::Value& value, std::vector<Napi::Value>& pins);
  const TypeSpec& Type() const { return type_; }
  size_t ByteLength() const { return length_; }
  size_t ElementCount() const { return type_.size ? length_ / type_.size : 0; }
  // Bytes in HDF5's memory form; valid while this object lives. Fails on a bad string index.
  const void* Bytes(const std::string& path);

 private:
  TypeSpec type_;
  const uint8_t* bytes_ = nullptr;
  size_t length_ = 0;
  std::vector<std::string> strings_;
  std::vector<uint8_t> withPointers_;
};

// Data read from HDF5, handed to JS without a copy (the ArrayBuffer adopts the memory).
class IncomingData {
 public:
  IncomingData() = default;
  IncomingData(IncomingData&&) = default;
  IncomingData& operator=(IncomingData&&) = default;
  ~IncomingData();
  // Allocates room for `count` elements of `memType` (described as `type`); fails (naming
  // `path`) when that many cannot fit in memory.
  void Allocate(TypeSpec type, size_t count, const std::string& path);
  void* Bytes() { return bytes_; }
  // After the read: moves variable-length strings out and frees HDF5's copies. Lock held.
  void TakeStrings(hid_t memType, hid_t memSpace);
  // { type, bytes: ArrayBuffer, strings? }
  Napi::Object ToJs(Napi::Env env);

 private:
  TypeSpec type_;
  uint8_t* bytes_ = nullptr;
  size_t length_ = 0;
  std::vector<std::string> strings_;
};

}  // namespace h5dat
